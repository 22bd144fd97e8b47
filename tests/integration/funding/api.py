"""Helpers of the funding API tests: deciding over HTTP."""

from __future__ import annotations

CASES = "/api/v1/cases"
REPORT = {"spent_amount": "4800.00", "volunteers_engaged": 12, "hours": "140.5", "submitted_on": "2022-01-14"}
"""A final report's body, for a grant of at least 4 800 zł."""


def grant(client, partnership_id, amount, **kw):
    return client.post(f"{CASES}/{partnership_id}/grant", json={"amount": amount}, **kw)


def reject(client, partnership_id, reason, **kw):
    return client.post(f"{CASES}/{partnership_id}/reject", json={"reason": reason}, **kw)



def settle(client, partnership_id, step: str = "", **body):
    """Submits a final report (`step` "/accept" or "/return" decides on it)."""
    return client.post(f"{CASES}/{partnership_id}/settlement{step}", json=body)
