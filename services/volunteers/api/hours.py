"""Monthly hours of a volunteer's memberships: recorded, then approved or declined once."""

import uuid
from typing import Any

from sqlalchemy.orm import Session

from infra.web.app import read, send
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort, expected_version
from services.volunteers import commands, hours_queries
from services.volunteers.schemas import EmptyIn, HoursIn, HoursOut, ReasonIn

WRITE = "volunteers:write"

blp = Blueprint(
    "hours",
    __name__,
    url_prefix="/api/v1/volunteers",
    description="Godziny wolontariatu: wpis za miesiąc w członkostwie, potem zatwierdzenie albo odrzucenie (raz). "
    "Zatwierdzone godziny są zdarzeniem publicznym VolunteerHoursApproved (bez danych osobowych i bez opisu zajęć).",
)


@blp.after_request
def _not_kept(response):
    response.headers["Cache-Control"] = "no-store"  # as every answer about a person
    return response


def _entry(session: Session, entry_id: str) -> dict[str, Any] | None:
    return hours_queries.entry(session, entry_id)


@blp.route("/<uuid:volunteer_id>/memberships/<uuid:membership_id>/hours", methods=["POST"])
@requires(WRITE)
@blp.arguments(HoursIn)
@blp.response(201, HoursOut)
def submit(body, volunteer_id, membership_id):
    """Wpisuje godziny z jednego miesiąca członkostwa (status submitted); If-Match: wersja wolontariusza

    422, gdy miesiąc nie mieści się w członkostwie albo jeszcze się nie zaczął, gdy godzin jest 0 lub więcej, niż
    ma miesiąc; 409, gdy za ten miesiąc jest już wpis, którego nie odrzucono."""
    entry_id = str(uuid.uuid4())
    return send(commands.SubmitHours(volunteer_id, membership_id, entry_id, **body, expected_version=expected_version()),
                _entry, entry_id)


@blp.route("/<uuid:volunteer_id>/hours/<uuid:entry_id>/approve", methods=["POST"])
@requires(WRITE)
@blp.arguments(EmptyIn)
@blp.response(200, HoursOut)
def approve(_body, volunteer_id, entry_id):
    """Zatwierdza wpis godzin (raz: decyzja podjęta wcześniej to 409); If-Match: wersja wolontariusza"""
    return send(commands.ApproveHours(volunteer_id, entry_id, expected_version=expected_version()), _entry, entry_id)


@blp.route("/<uuid:volunteer_id>/hours/<uuid:entry_id>/decline", methods=["POST"])
@requires(WRITE)
@blp.arguments(ReasonIn)
@blp.response(200, HoursOut)
def decline(body, volunteer_id, entry_id):
    """Odrzuca wpis godzin z powodem (raz); wpis zostaje w historii, a za ten miesiąc można wpisać godziny ponownie"""
    return send(commands.DeclineHours(volunteer_id, entry_id, **body, expected_version=expected_version()),
                _entry, entry_id)


@blp.route("/<uuid:volunteer_id>/hours")
@blp.response(200, HoursOut(many=True))
def of_volunteer(volunteer_id):
    """Godziny wolontariusza we wszystkich członkostwach, z decyzjami i powodami odrzuceń (bez danych osobowych)"""
    found = read(hours_queries.of_volunteer, volunteer_id)
    if found is None:
        abort(404, message=f"Nie ma wolontariusza {volunteer_id}.")
    return found
