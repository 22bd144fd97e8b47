"""What a membership misses of the paperwork the law asks for, read from the read model: for one membership (the
domain's rule, `domain.paperwork.compliance`) and as SQL for the volunteers' list (the same rule, tested equal)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

from services.volunteers.domain import paperwork
from services.volunteers.readmodel import memberships


def compliance(membership: dict[str, Any], today: datetime.date, erased: bool = False) -> list[dict[str, str]]:
    """What the law asks for the membership (a read-model row) that is missing, as of `today` (none once erased)."""
    if erased:
        return []  # nobody to mend it for: the person is gone, and the list no longer offers them
    papers = paperwork.Paperwork(membership["agreement_signed_on"], membership["accident_insurance"],
                                 membership["guardian_consent"])
    found = paperwork.compliance(papers, minor=membership["minor"], joined_on=membership["joined_on"],
                                 left_on=membership["left_on"], today=today)
    return [{"code": m.code, "message": m.message} for m in found]


def lacking(code: str, today: datetime.date) -> ColumnElement[bool]:
    """Memberships missing `code` as of `today`: `domain.paperwork.compliance` as SQL (a test keeps the two equal)."""
    lasted_to = func.coalesce(memberships.c.left_on, today)
    long = lasted_to >= memberships.c.long_from
    conditions = {
        paperwork.AGREEMENT_MISSING: and_(memberships.c.agreement_signed_on.is_(None), long),
        paperwork.INSURANCE_MISSING: and_(memberships.c.accident_insurance.is_(False), ~long),
        paperwork.GUARDIAN_CONSENT_MISSING: and_(memberships.c.minor.is_(True),
                                                 memberships.c.guardian_consent.is_(False)),
    }
    return conditions[code]
