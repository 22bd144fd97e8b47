"""Volunteers (personal data: volunteers:write only) and their memberships (any valid token)."""

import uuid
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.web.app import read, send, service_of
from infra.web.auth import principal, requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort, etag, expected_version, required_version
from services.volunteers import clock, commands, queries
from services.volunteers.schemas import (
    LeaveIn,
    MembershipIn,
    MembershipInFullOut,
    MembershipOut,
    PaperworkIn,
    VolunteerChangeIn,
    VolunteerIn,
    VolunteerOut,
    VolunteerQuery,
    VolunteerSummaryOut,
)

WRITE = "volunteers:write"

blp = Blueprint(
    "volunteers",
    __name__,
    url_prefix="/api/v1/volunteers",
    description="Wolontariusze i ich członkostwa. Dane osobowe widzi tylko rola volunteers:write; "
    "członkostwa (same identyfikatory i fakty) każdy z ważnym tokenem.",
)


@blp.after_request
def _not_kept(response):
    # Answers may hold personal data, and a browser sends its cookie token on GETs: no cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


def _personal_data_allowed() -> None:
    if not principal().has(WRITE):
        abort(
            403,
            message=f"Dane osobowe wolontariuszy widzi tylko rola {WRITE}. "
            "Członkostwa bez danych osobowych: GET /api/v1/volunteers/<id>/memberships.",
        )


def _found(session: Session, volunteer_id: str) -> dict[str, Any]:
    volunteer = queries.volunteer(session, volunteer_id, clock.today())
    if volunteer is None:
        abort(404, message=f"Nie ma wolontariusza {volunteer_id}.")
    return volunteer


def _versioned(session: Session, volunteer_id: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    volunteer = _found(session, volunteer_id)
    return volunteer, 200, etag(volunteer["version"])


def _membership(session: Session, membership_id: str) -> dict[str, Any] | None:
    return queries.membership_in_full(session, membership_id, clock.today())


@blp.route("")
class Volunteers(MethodView):
    @blp.arguments(VolunteerQuery, location="query")
    @blp.response(200, VolunteerSummaryOut(many=True))
    def get(self, query):
        """Lista wolontariuszy z danymi osobowymi (np. jednej instytucji w edycji); tylko volunteers:write

        `missing` zawęża ją do osób, którym w którymś członkostwie brakuje dziś wymaganego dokumentu (np.
        `?missing=agreement_missing`), żeby koordynator mógł go uzupełnić (PATCH …/memberships/{id}/paperwork)."""
        _personal_data_allowed()
        with service_of().read() as session:
            return queries.volunteer_list(session, **query, today=clock.today())

    @requires(WRITE)
    @blp.arguments(VolunteerIn)
    @blp.response(201, VolunteerOut)
    def post(self, body):
        """Rejestruje wolontariusza; dane osobowe są szyfrowane kluczem tej osoby"""
        volunteer_id = str(uuid.uuid4())
        return send(commands.RegisterVolunteer(volunteer_id, **body), _found, volunteer_id)


@blp.route("/<uuid:volunteer_id>")
class VolunteerById(MethodView):
    @blp.response(200, VolunteerOut)
    def get(self, volunteer_id):
        """Wolontariusz z danymi osobowymi i członkostwami; tylko volunteers:write. Po usunięciu danych: erased=true"""
        _personal_data_allowed()
        volunteer = read(_found, volunteer_id)
        return volunteer, 200, etag(volunteer["version"])

    @requires(WRITE)
    @blp.arguments(VolunteerChangeIn)
    @blp.response(200, VolunteerOut)
    def patch(self, body, volunteer_id):
        """Poprawia dane osobowe (RODO, art. 16): pola pominięte zostają bez zmian

        Wymaga nagłówka If-Match z wersją z ETag (bez niego 428; inna wersja: 409). Zmiana jest zdarzeniem, a dane
        zostają zaszyfrowane kluczem tej osoby; rejestr dostępu zapisuje ją jako zmianę (changed). Pusty obiekt to
        422, te same wartości: 200 bez zmiany. Adres e-mail innego wolontariusza: 409 duplicate_email."""
        return send(commands.RectifyVolunteer(volunteer_id, **body, expected_version=required_version()),
                    _versioned, volunteer_id)

    @requires(WRITE)
    @blp.response(204)
    def delete(self, volunteer_id):
        """Usuwa dane osobowe (RODO): klucz tej osoby jest niszczony, więc jej dane stają się nieczytelne
        wszędzie, także w historii zdarzeń; członkostwa i liczby zostają. Powtórzone – nic nie zmienia (204).
        Bez warunku If-Match: dane osoby usuwa się niezależnie od zmian w międzyczasie."""
        send(commands.EraseVolunteer(volunteer_id))


@blp.route("/<uuid:volunteer_id>/memberships")
class Memberships(MethodView):
    @blp.response(200, MembershipOut(many=True))
    def get(self, volunteer_id):
        """Członkostwa wolontariusza: identyfikatory i daty, bez danych osobowych (każdy ważny token)"""
        with service_of().read() as session:
            if not queries.exists(session, volunteer_id):
                abort(404, message=f"Nie ma wolontariusza {volunteer_id}.")
            return queries.memberships_of(session, volunteer_id)

    @requires(WRITE)
    @blp.arguments(MembershipIn)
    @blp.response(201, MembershipInFullOut)
    def post(self, body, volunteer_id):
        """Wolontariusz dołącza do instytucji w edycji (i ewentualnie do inicjatywy partnerstwa); If-Match: wersja wolontariusza

        Może od razu nieść dokumenty: datę podpisania porozumienia, ubezpieczenie NNW, zgodę opiekuna. Osoba, która
        w dniu dołączenia nie ma ukończonych 18 lat, dołącza tylko z `guardian_consent: true` (422
        guardian_consent_required)."""
        membership_id = str(uuid.uuid4())
        return send(commands.JoinInstitution(volunteer_id, membership_id, **body, expected_version=expected_version()),
                    _membership, membership_id)


@blp.route("/<uuid:volunteer_id>/memberships/<uuid:membership_id>/leave", methods=["POST"])
@requires(WRITE)
@blp.arguments(LeaveIn)
@blp.response(200, MembershipInFullOut)
def leave(body, volunteer_id, membership_id):
    """Kończy członkostwo (data odejścia nie wcześniejsza niż dołączenia); If-Match: wersja wolontariusza"""
    return send(commands.LeaveInstitution(volunteer_id, membership_id, **body, expected_version=expected_version()),
                _membership, membership_id)


@blp.route("/<uuid:volunteer_id>/memberships/<uuid:membership_id>/paperwork", methods=["PATCH"])
@requires(WRITE)
@blp.arguments(PaperworkIn)
@blp.response(200, MembershipInFullOut)
def paperwork(body, volunteer_id, membership_id):
    """Uzupełnia dokumenty członkostwa: porozumienie, ubezpieczenie NNW, zgodę opiekuna

    Pola pominięte zostają bez zmian (daty porozumienia nie da się usunąć, tylko poprawić); pusty obiekt to 422,
    te same wartości: 200 bez zmiany. Wymaga nagłówka If-Match z wersją wolontariusza (ETag z GET
    /api/v1/volunteers/{id}); bez niego 428, inna wersja: 409. Odpowiedź: członkostwo z listą `compliance`."""
    return send(commands.RecordPaperwork(volunteer_id, membership_id, **body, expected_version=required_version()),
                _membership, membership_id)
