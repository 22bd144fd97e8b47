"""Deliberately bad requests (4xx) mixed into the load: each must be refused and leave no event."""

from __future__ import annotations

import random
import uuid

import requests

from tests.support.recording import Command, Recorder, session_for
from tests.support.world import World


def send(recorder: Recorder, world: World, session: requests.Session, rng: random.Random) -> Command:
    """One bad request, chosen at random: invalid fields, unknown ids, broken JSON, a wrong role, a reused key."""
    unknown = str(uuid.uuid4())
    institution = world.pick(rng, world.institutions) or unknown
    partnership = world.pick(rng, world.partnerships) or unknown
    volunteer = world.pick(rng, world.volunteers) or unknown
    cases = [
        ("applications", "/api/v1/institutions", {"name": "Biblioteka", "kind": "library", "district": "Gdańsk"}, None),
        ("applications", "/api/v1/institutions", {"name": "Biblioteka", "kind": "library", "district": "Wola",
                                                  "colour": "red"}, None),
        ("applications", "/api/v1/partnerships", {"edition_id": unknown, "title": "Sam", "lead_institution_id": institution,
                                                  "institution_ids": [institution], "requested_amount": "100.00"}, None),
        ("applications", f"/api/v1/partnerships/{unknown}/mal-verification",
         {"verified": True, "institution_id": institution}, None),
        ("applications", f"/api/v1/partnerships/{partnership}/mal-verification", {"verified": False,
                                                                                  "institution_id": institution}, None),
        ("applications", "/api/v1/editions", None, b'{"programme": "partnerships", "name": '),
        ("applications", "/api/v1/institutions", None, b'[1, 2, 3]'),
        ("funding", f"/api/v1/cases/{unknown}/grant", {"amount": "100.00"}, None),
        ("funding", f"/api/v1/cases/{partnership}/grant", {"amount": "99999999.00"}, None),
        ("funding", f"/api/v1/cases/{partnership}/reject", {"reason": ""}, None),
        ("volunteers", "/api/v1/volunteers", {"first_name": "Jan", "last_name": "Nowak", "email": "nie-adres"}, None),
        ("volunteers", f"/api/v1/volunteers/{unknown}/memberships",
         {"institution_id": institution, "edition_id": unknown, "joined_on": "2019-01-01"}, None),
        ("volunteers", f"/api/v1/volunteers/{volunteer}/memberships/{unknown}/leave", {"left_on": "2019-01-01"}, None),
        ("volunteers", f"/api/v1/volunteers/{volunteer}/memberships", {"joined_on": "wczoraj"}, None),
    ]
    service, path, body, raw = rng.choice(cases)
    if rng.random() < 0.1:  # a reader's token on a write: 403
        reader = _reader(session)
        return recorder.send(reader, "applications", "POST", "/api/v1/institutions",
                                  {"name": f"Dom {uuid.uuid4().hex[:6]}", "kind": "other", "district": "Wola"},
                                  action="bad", deliberate=True)
    if rng.random() < 0.1 and recorder.commands:  # an Idempotency-Key reused for another request: 422
        earlier = rng.choice(recorder.commands[-50:])
        if earlier.method == "POST" and earlier.subject == getattr(session, "subject", "") and earlier.status:
            return recorder.send(session, earlier.service, "POST", earlier.path, {"different": uuid.uuid4().hex},
                                      action="bad", deliberate=True, key=earlier.key)
    return recorder.send(session, service, "POST", path, body, raw=raw, action="bad", deliberate=True)


_READERS: dict[int, requests.Session] = {}


def _reader(session) -> requests.Session:
    reader = _READERS.get(id(session))
    if reader is None:
        reader = _READERS[id(session)] = session_for(f"{getattr(session, 'subject', 'reader')}-reader", "reporting:read")
    return reader
