"""Everything held about a volunteer, for them to read or take elsewhere (GDPR art. 15 and 20).

Their personal data opened, every membership with its paperwork, every hours entry with its status or reason, the
story of every event about them (each correction with what it changed) and who opened their data when. Giving it
out is itself recorded in the access log.
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.volunteers import access, hours_queries, keystore, queries, story
from services.volunteers.compliance import compliance

FORMAT = "ochotnicy/volunteer-export/v1"
"""What a receiving system reads the document as; a later version only adds."""


def everything(session: Session, volunteer_id: str, today: datetime.date) -> dict[str, Any] | None:
    """The whole record of the volunteer (None for one unknown), as of `today`."""
    row = queries.volunteer_row(session, volunteer_id)
    if row is None:
        return None
    cipher = keystore.cipher(session, volunteer_id)
    held = {
        "format": FORMAT,
        "exported_at": datetime.datetime.now(datetime.timezone.utc),
        "volunteer": queries.opened(row, cipher),
        "memberships": [m | {"compliance": compliance(m, today, row.erased)}
                        for m in queries.memberships_of(session, volunteer_id)],
        "hours": hours_queries.of_volunteer(session, volunteer_id) or [],
        "history": story.history(session, volunteer_id, cipher),
        "access": list(reversed(access.of(session, volunteer_id, limit=None))),
    }
    if not row.erased:
        access.record(session, [volunteer_id], access.EXPORTED)
    return held
