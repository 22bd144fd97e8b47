"""The funding service's staff pages: the worklist, a case with its decision forms, and its settlement.

Each form sends the same command through the same handler as the API (infra.web.workspace.forms): the cap, the
request, the edition's budget and the settlement's rules are the domain's, and their refusals show at their field.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from contracts.vocabulary import CaseStatus, SettlementStatus
from infra.config import Settings
from infra.web.workspace import Pages

WRITE = "funding:write"
WARSAW = ZoneInfo("Europe/Warsaw")

bp = Pages("funding_pages", __name__, template_folder="../templates")

STATUSES = {
    CaseStatus.OPEN: "do decyzji",
    CaseStatus.GRANTED: "przyznane",
    CaseStatus.REJECTED: "odrzucone",
    CaseStatus.WITHDRAWN: "wycofane",
    CaseStatus.REVOKED: "cofnięte",
}
"""The case statuses the API filters by, as the worklist names them."""
SETTLEMENTS = {
    SettlementStatus.DUE: "czeka na sprawozdanie",
    SettlementStatus.SUBMITTED: "sprawozdanie do sprawdzenia",
    SettlementStatus.RETURNED: "sprawozdanie zwrócone do poprawy",
    SettlementStatus.SETTLED: "rozliczone",
}
"""Where grants in force stand with their final report, as the worklist and the case name it."""
ALL = "wszystkie"


@bp.context_processor
def _links() -> dict[str, Any]:
    """Where a case's partnership lives: the applications service, at its configured base URL."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    return {"applications_url": settings.service_urls["applications"].rstrip("/")}


def moment(value: datetime.datetime | None) -> str:
    """A time the way staff read it: 01.10.2021, 14:05 (Warsaw time)."""
    return value.astimezone(WARSAW).strftime("%d.%m.%Y, %H:%M") if value else "–"


# The pages, by concept; importing them registers their routes on `bp`.
from services.funding.pages import cases, settlement  # noqa: E402,F401
