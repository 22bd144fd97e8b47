"""Funding cases: cap, eligibility and why, decisions, history."""

from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.eventstore import history
from infra.web.app import read, send, service_of
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.history import HistoryEntry
from infra.web.http import abort, etag, expected_version
from services.funding import commands, queries
from services.funding.schemas import CaseOut, CaseQuery, EmptyIn, GrantIn, ReasonIn, SettlementIn

blp = Blueprint("cases", __name__, url_prefix="/api/v1/cases", description="Sprawy dofinansowania partnerstw")


def _found(session: Session, partnership_id: str, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    case = queries.case(session, partnership_id)
    if case is None:
        abort(404, message=f"Nie ma sprawy dofinansowania partnerstwa {partnership_id}.")
    return case, status, etag(case["version"])


@blp.route("")
class Cases(MethodView):
    @blp.arguments(CaseQuery, location="query")
    @blp.response(200, CaseOut(many=True))
    def get(self, query):
        """Lista spraw (np. jednej edycji: ?edition_id=…; do decyzji: ?eligible=true)"""
        with service_of().read() as session:
            return queries.case_list(session, **query)


@blp.route("/<uuid:partnership_id>")
@blp.response(200, CaseOut)
def case(partnership_id):
    """Jedna sprawa: limit, czy można przyznać dofinansowanie, a jeśli nie – dlaczego (ETag niesie wersję)"""
    return read(_found, partnership_id)


@blp.route("/<uuid:partnership_id>/grant", methods=["POST"])
@requires("funding:write")
@blp.arguments(GrantIn)
@blp.response(201, CaseOut)
def grant(body, partnership_id):
    """Przyznaje dofinansowanie: 409, gdy sprawa nie kwalifikuje się; 422, gdy kwota przekracza limit,
    wniosek albo pozostały budżet edycji. Zamknięcie naboru nie wstrzymuje decyzji."""
    return send(commands.GrantFunding(partnership_id, **body, expected_version=expected_version()), _found, partnership_id, 201)


@blp.route("/<uuid:partnership_id>/reject", methods=["POST"])
@requires("funding:write")
@blp.arguments(ReasonIn)
@blp.response(201, CaseOut)
def reject(body, partnership_id):
    """Odmawia dofinansowania z podanym powodem (409, gdy partnerstwo wycofane albo decyzja już zapadła)"""
    return send(commands.RejectFunding(partnership_id, **body, expected_version=expected_version()), _found, partnership_id, 201)


@blp.route("/<uuid:partnership_id>/revoke", methods=["POST"])
@requires("funding:write")
@blp.arguments(ReasonIn)
@blp.response(201, CaseOut)
def revoke(body, partnership_id):
    """Cofa przyznane dofinansowanie z podanym powodem; kwota wraca do budżetu edycji (409, gdy nie przyznano
    albo już cofnięto). Partnerstwu wycofanemu po decyzji usługa cofa je sama."""
    return send(commands.RevokeFunding(partnership_id, **body, expected_version=expected_version()), _found, partnership_id, 201)


@blp.route("/<uuid:partnership_id>/settlement", methods=["POST"])
@requires("funding:write")
@blp.arguments(SettlementIn)
@blp.response(201, CaseOut)
def settlement(body, partnership_id):
    """Sprawozdanie końcowe przyznanego dofinansowania: wydana kwota, wolontariusze, godziny, data (409, gdy nie
    przyznano, cofnięto, już rozliczono albo poprzednie sprawozdanie czeka na decyzję; 422, gdy wydano więcej niż przyznano)"""
    command = commands.SubmitSettlement(partnership_id=partnership_id, **body, expected_version=expected_version())
    return send(command, _found, partnership_id, 201)


@blp.route("/<uuid:partnership_id>/settlement/accept", methods=["POST"])
@requires("funding:write")
@blp.arguments(EmptyIn)
@blp.response(200, CaseOut)
def accept_settlement(body, partnership_id):
    """Przyjmuje sprawozdanie końcowe: dofinansowanie rozliczone, niewydana kwota do zwrotu (409, gdy nic nie czeka)"""
    return send(commands.AcceptSettlement(partnership_id, **body, expected_version=expected_version()), _found, partnership_id)


@blp.route("/<uuid:partnership_id>/settlement/return", methods=["POST"])
@requires("funding:write")
@blp.arguments(ReasonIn)
@blp.response(200, CaseOut)
def return_settlement(body, partnership_id):
    """Zwraca sprawozdanie końcowe do poprawy z podanym powodem; partnerstwo może złożyć nowe (409, gdy nic nie czeka)"""
    return send(commands.ReturnSettlement(partnership_id, **body, expected_version=expected_version()), _found, partnership_id)


@blp.route("/<uuid:partnership_id>/history")
@blp.response(200, HistoryEntry(many=True))
def case_history(partnership_id):
    """Decyzje w sprawie: kto, co i kiedy"""
    with service_of().read() as session:
        if not queries.known_case(session, partnership_id):
            abort(404, message=f"Nie ma sprawy dofinansowania partnerstwa {partnership_id}.")
        return history.of(session, "funding", partnership_id)
