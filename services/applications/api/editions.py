"""Editions and enrolments."""

import uuid
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.web.app import read, send
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort, etag, expected_version
from services.applications import commands, queries
from services.applications.schemas import CloseIn, EditionIn, EditionOut, EditionQuery, EnrolmentIn, EnrolmentOut

blp = Blueprint("editions", __name__, url_prefix="/api/v1/editions", description="Edycje programów i ich zasady")


def _found(session: Session, edition_id: str) -> dict[str, Any]:
    edition = queries.edition(session, edition_id)
    if edition is None:
        abort(404, message=f"Nie ma edycji {edition_id}.")
    return edition


@blp.route("")
class Editions(MethodView):
    @blp.arguments(EditionQuery, location="query")
    @blp.response(200, EditionOut(many=True))
    def get(self, query):
        """Lista edycji"""
        return read(lambda session: queries.edition_list(session, **query))

    @requires("applications:write")
    @blp.arguments(EditionIn)
    @blp.response(201, EditionOut)
    def post(self, body):
        """Otwiera edycję programu z jej zasadami"""
        edition_id = str(uuid.uuid4())
        return send(commands.OpenEdition(edition_id, **body), _found, edition_id)


@blp.route("/<uuid:edition_id>")
class EditionById(MethodView):
    @blp.response(200, EditionOut)
    def get(self, edition_id):
        """Jedna edycja"""
        edition = read(_found, edition_id)
        return edition, 200, etag(edition["version"])


@blp.route("/<uuid:edition_id>/close", methods=["POST"])
@requires("applications:write")
@blp.arguments(CloseIn, required=False)
@blp.response(200, EditionOut)
def close(_body, edition_id):
    """Zamyka edycję: nie przyjmuje już wniosków ani zgłoszeń"""
    return send(commands.CloseEdition(edition_id, expected_version()), _found, edition_id)


@blp.route("/<uuid:edition_id>/enrolments", methods=["GET"])
@blp.response(200, EnrolmentOut(many=True))
def enrolments(edition_id):
    """Instytucje zgłoszone do edycji"""
    read(_found, edition_id)
    return read(queries.enrolment_list, edition_id)


@blp.route("/<uuid:edition_id>/enrolments", methods=["POST"])
@requires("applications:write")
@blp.arguments(EnrolmentIn)
@blp.response(201, EnrolmentOut)
def enrol(body, edition_id):
    """Zgłasza instytucję do edycji (np. filię biblioteki do programu bibliotek)"""
    return send(commands.EnrolInstitution(edition_id, **body), queries.enrolment, edition_id, body["institution_id"])
