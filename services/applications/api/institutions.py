"""The institution register."""

import uuid
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.eventstore import history
from infra.web.app import read, send
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.history import HistoryEntry
from infra.web.http import abort, etag, required_version
from services.applications import commands, queries
from services.applications.schemas import InstitutionChangeIn, InstitutionIn, InstitutionOut, InstitutionQuery

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions", description="Rejestr instytucji")


def _found(session: Session, institution_id: str, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    institution = queries.institution(session, institution_id)
    if institution is None:
        abort(404, message=f"Nie ma instytucji {institution_id}.")
    return institution, status, etag(institution["version"])


@blp.route("")
class Institutions(MethodView):
    @blp.arguments(InstitutionQuery, location="query")
    @blp.response(200, InstitutionOut(many=True))
    def get(self, query):
        """Lista instytucji"""
        return read(lambda session: queries.institution_list(session, **query))

    @requires("applications:write")
    @blp.arguments(InstitutionIn)
    @blp.response(201, InstitutionOut)
    def post(self, body):
        """Rejestruje instytucję (nazwa w dzielnicy musi być unikalna)"""
        institution_id = str(uuid.uuid4())
        return send(commands.RegisterInstitution(institution_id, **body), _found, institution_id, 201)


@blp.route("/<uuid:institution_id>")
@blp.response(200, InstitutionOut)
def institution(institution_id):
    """Jedna instytucja (nagłówek ETag niesie wersję, do użycia w If-Match)"""
    return read(_found, institution_id)


@blp.route("/<uuid:institution_id>", methods=["PATCH"])
@requires("applications:write")
@blp.arguments(InstitutionChangeIn)
@blp.response(200, InstitutionOut)
def correct(body, institution_id):
    """Poprawia dane instytucji w rejestrze (nazwa w dzielnicy nadal unikalna)

    Wymaga nagłówka If-Match z wersją z ETag (bez niego 428; inna wersja: 409). Pola pominięte zostają bez zmian;
    pusty obiekt to 422, a te same wartości co w rejestrze: 200 bez zmiany. Wnioski złożone wcześniej zachowują
    status MAL, według którego je oceniono; nowe widzą poprawiony.
    """
    return send(commands.ChangeInstitutionDetails(institution_id, **body, expected_version=required_version()),
                _found, institution_id)


@blp.route("/<uuid:institution_id>/history")
@blp.response(200, HistoryEntry(many=True))
def institution_history(institution_id):
    """Zdarzenia instytucji: rejestracja i poprawki danych (kto, co i kiedy)"""
    read(_found, institution_id)  # 404 for any other id, a partnership's too (it has a history of its own)
    return read(history.of, "applications", institution_id)
