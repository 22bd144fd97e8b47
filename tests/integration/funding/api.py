"""Helpers of the funding API tests: deciding over HTTP."""

from __future__ import annotations

CASES = "/api/v1/cases"


def grant(client, partnership_id, amount, **kw):
    return client.post(f"{CASES}/{partnership_id}/grant", json={"amount": amount}, **kw)


def reject(client, partnership_id, reason, **kw):
    return client.post(f"{CASES}/{partnership_id}/reject", json={"reason": reason}, **kw)

