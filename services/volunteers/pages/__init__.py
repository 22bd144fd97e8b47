"""The volunteers service's staff pages: find, register, open and correct a volunteer; memberships with their
paperwork and hours; the worklist of hours to approve; erasure (RODO).

Personal data (names, e-mail, phone, birth date) is shown only to staff with volunteers:write, and is opened only by
the queries that log its reading (services.volunteers.access); others see a volunteer's memberships, never the
person. Each form sends the same command through the same handler as the API (infra.web.workspace.forms).
"""

from __future__ import annotations

import datetime
from typing import Any

from flask import Response
from sqlalchemy.orm import Session

from infra import polish
from infra.web.workspace import Pages, page_error
from services.volunteers import clock, queries
from services.volunteers.domain.hours import APPROVED, DECLINED, SUBMITTED

WRITE = "volunteers:write"

bp = Pages("volunteers_pages", __name__, template_folder="../templates")

STATUSES = {SUBMITTED: "czeka na zatwierdzenie", APPROVED: "zatwierdzone", DECLINED: "odrzucone"}


def not_found() -> Response:
    return page_error(404, "Nie ma takiego wolontariusza", "Wróć do listy wolontariuszy i wybierz osobę z niej.")


def choices(session: Session) -> dict[str, list[dict[str, Any]]]:
    """The institutions, editions and partnerships a form offers to pick from, by name."""
    return {"institutions": queries.institution_names(session), "editions": queries.edition_names(session),
            "partnerships": queries.partnership_names(session)}


def edition_label(edition: dict[str, Any]) -> str:
    return f"{edition['name']} (zamknięta)" if edition["closed"] else edition["name"]


def today() -> datetime.date:
    """The day the pages judge what is missing on, and prefill their dates with."""
    return clock.today()


@bp.app_template_filter("moment")
def _moment(value: datetime.datetime | None) -> str:
    """A moment the service recorded (UTC) as the day it was in Warsaw."""
    return polish.day(value.astimezone(clock.WARSAW).date()) if value else "–"


@bp.context_processor
def _words() -> dict[str, Any]:
    return {"count": polish.count, "statuses": STATUSES}


# The pages, by concept; importing them registers their routes on `bp`.
from services.volunteers.pages import hours, memberships, people  # noqa: E402,F401
