"""Partnerships: proposals, MAL verification, withdrawal, history."""

import uuid
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.eventstore import history
from infra.web.app import read, send
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


def _found(session: Session, partnership_id: str, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    partnership = queries.partnership(session, partnership_id)
    if partnership is None:
        abort(404, message=f"Nie ma partnerstwa {partnership_id}.")
    return partnership, status, etag(partnership["version"])


@blp.route("")
class Partnerships(MethodView):
    @blp.arguments(PartnershipQuery, location="query")
    @blp.response(200, PartnershipOut(many=True))
    def get(self, query):
        """Lista partnerstw (np. jednej edycji: ?edition_id=…)"""
        return read(lambda session: queries.partnership_list(session, **query))

    @requires("applications:write")
    @blp.arguments(PartnershipIn)
    @blp.response(201, PartnershipOut)
    def post(self, body):
        """Składa wniosek partnerstwa; zasady edycji sprawdzane od razu (422 z nazwą reguły)"""
        partnership_id = str(uuid.uuid4())
        return send(commands.ProposePartnership(partnership_id, **body), _found, partnership_id, 201)


@blp.route("/<uuid:partnership_id>")
@blp.response(200, PartnershipOut)
def partnership(partnership_id):
    """Jedno partnerstwo (nagłówek ETag niesie wersję, do użycia w If-Match)"""
    return read(_found, partnership_id)


@blp.route("/<uuid:partnership_id>/mal-verification", methods=["POST"])
@requires("applications:write")
@blp.arguments(MALVerificationIn)
@blp.response(200, PartnershipOut)
def verify_mal(body, partnership_id):
    """Wynik weryfikacji MAL przez pracownika"""
    return send(commands.VerifyMAL(partnership_id, **body, expected_version=expected_version()), _found, partnership_id)


@blp.route("/<uuid:partnership_id>/withdraw", methods=["POST"])
@requires("applications:write")
@blp.arguments(WithdrawIn)
@blp.response(200, PartnershipOut)
def withdraw(body, partnership_id):
    """Wycofuje partnerstwo; potem nic się w nim już nie zmienia"""
    return send(commands.WithdrawPartnership(partnership_id, **body, expected_version=expected_version()),
                _found, partnership_id)


@blp.route("/<uuid:partnership_id>/history")
@blp.response(200, HistoryEntry(many=True))
def partnership_history(partnership_id):
    """Zdarzenia partnerstwa: kto, co i kiedy"""
    entries = read(history.of, "applications", partnership_id)
    if not entries:
        abort(404, message=f"Nie ma partnerstwa {partnership_id}.")
    return entries
