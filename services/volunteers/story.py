"""A volunteer's events as people read them: the sealed personal fields opened, masked, or marked erased."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from infra.eventstore.sql import SqlEventStore
from services.volunteers.domain.personal import FIELDS, Cipher, Sealed, Unreadable, unseal

SEALED = ("VolunteerRegistered", "VolunteerRectified")
"""The event types that carry personal fields (every one of them, sealed)."""
MASKED = "[dane osobowe]"
"""A personal field not shown: `ochotnicy audit history` without --personal."""
ERASED = "[usunięte]"
"""A personal field that can no longer be opened: the person's key is shredded."""


def shown(event_type: str, data: dict[str, Any], cipher: Cipher | None, *, personal: bool = True) -> dict[str, Any]:
    """The event's data with its personal fields opened (`personal`), masked, or marked erased; in its own order."""
    if event_type not in SEALED:
        return data
    present = [field for field in FIELDS if data.get(field) is not None]
    if cipher is None:
        return data | {field: ERASED for field in present}
    if not personal:
        return data | {field: MASKED for field in present}
    try:
        fields: dict[str, Any] = {field: data.get(field) for field in FIELDS}  # the event's data, as JSON gave it
        person = unseal(Sealed(**fields), cipher)
    except Unreadable:
        return data | {field: ERASED for field in present}
    opened = {field: getattr(person, field) for field in present}
    if "birth_date" in opened:
        opened["birth_date"] = opened["birth_date"].isoformat()
    return data | opened


def history(session: Session, volunteer_id: str, cipher: Cipher | None) -> list[dict[str, Any]]:
    """Every event of the volunteer, oldest first: when, who, what (opened), and what a correction changed."""
    entries, before = [], None
    for record in SqlEventStore(session, "volunteers").load(volunteer_id):
        data = shown(record.type, record.data, cipher)
        changes = None
        if record.type == "VolunteerRectified" and before is not None:
            changes = {field: {"from": before.get(field), "to": data.get(field)}
                       for field in FIELDS if before.get(field) != data.get(field)}
        if record.type in SEALED:
            before = data
        entries.append({"sequence": record.version, "type": record.type, "time": record.occurred_at,
                        "actor": record.meta.get("actor"), "correlation_id": record.meta.get("correlation_id"),
                        "data": data, "changes": changes})
    return entries
