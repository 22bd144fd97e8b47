"""Partnerships: proposals, MAL verification, withdrawal, history."""

import uuid

from flask.views import MethodView

from infra import history
from infra.web.app import send, service_of
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.history import HistoryEntry
from infra.web.http import abort, etag, expected_version
from services.applications import commands, queries
from services.applications.schemas import (
    MALVerificationIn,
    PartnershipIn,
    PartnershipOut,
    PartnershipQuery,
    WithdrawIn,
)

blp = Blueprint("partnerships", __name__, url_prefix="/api/v1/partnerships", description="Partnerstwa instytucji")


def _found(partnership_id: str):
    with service_of().read() as session:
        partnership = queries.partnership(session, partnership_id)
    if partnership is None:
        abort(404, message=f"Nie ma partnerstwa {partnership_id}.")
    return partnership, 200, etag(partnership["version"])


@blp.route("")
class Partnerships(MethodView):
    @blp.arguments(PartnershipQuery, location="query")
    @blp.response(200, PartnershipOut(many=True))
    def get(self, query):
        """Lista partnerstw (np. jednej edycji: ?edition_id=…)"""
        with service_of().read() as session:
            return queries.partnership_list(session, **query)

    @requires("applications:write")
    @blp.arguments(PartnershipIn)
    @blp.response(201, PartnershipOut)
    def post(self, body):
        """Składa wniosek partnerstwa; zasady edycji sprawdzane od razu (422 z nazwą reguły)"""
        partnership_id = send(commands.ProposePartnership(partnership_id=str(uuid.uuid4()), **body))
        partnership, _, headers = _found(partnership_id)
        return partnership, 201, headers


@blp.route("/<uuid:partnership_id>")
@blp.response(200, PartnershipOut)
def partnership(partnership_id):
    """Jedno partnerstwo (nagłówek ETag niesie wersję, do użycia w If-Match)"""
    return _found(partnership_id)


@blp.route("/<uuid:partnership_id>/mal-verification", methods=["POST"])
@requires("applications:write")
@blp.arguments(MALVerificationIn)
@blp.response(200, PartnershipOut)
def verify_mal(body, partnership_id):
    """Wynik weryfikacji MAL przez pracownika"""
    send(commands.VerifyMAL(partnership_id, **body, expected_version=expected_version()))
    return _found(partnership_id)


@blp.route("/<uuid:partnership_id>/withdraw", methods=["POST"])
@requires("applications:write")
@blp.arguments(WithdrawIn)
@blp.response(200, PartnershipOut)
def withdraw(body, partnership_id):
    """Wycofuje partnerstwo; potem nic się w nim już nie zmienia"""
    send(commands.WithdrawPartnership(partnership_id, **body, expected_version=expected_version()))
    return _found(partnership_id)


@blp.route("/<uuid:partnership_id>/history")
@blp.response(200, HistoryEntry(many=True))
def partnership_history(partnership_id):
    """Zdarzenia partnerstwa: kto, co i kiedy"""
    with service_of().read() as session:
        entries = history.of(session, "applications", partnership_id)
    if not entries:
        abort(404, message=f"Nie ma partnerstwa {partnership_id}.")
    return entries
