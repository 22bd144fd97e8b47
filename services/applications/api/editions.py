"""Editions and enrolments."""

import uuid

from flask.views import MethodView

from infra.web.app import send, service_of
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort, etag, expected_version
from services.applications import commands, queries
from services.applications.schemas import CloseIn, EditionIn, EditionOut, EditionQuery, EnrolmentIn, EnrolmentOut

blp = Blueprint("editions", __name__, url_prefix="/api/v1/editions", description="Edycje programów i ich zasady")


def _found(edition_id: str):
    with service_of().read() as session:
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
        with service_of().read() as session:
            return queries.edition_list(session, **query)

    @requires("applications:write")
    @blp.arguments(EditionIn)
    @blp.response(201, EditionOut)
    def post(self, body):
        """Otwiera edycję programu z jej zasadami"""
        edition_id = send(commands.OpenEdition(edition_id=str(uuid.uuid4()), **body))
        return _found(edition_id)


@blp.route("/<uuid:edition_id>")
class EditionById(MethodView):
    @blp.response(200, EditionOut)
    def get(self, edition_id):
        """Jedna edycja"""
        edition = _found(edition_id)
        return edition, 200, etag(edition["version"])


@blp.route("/<uuid:edition_id>/close", methods=["POST"])
@requires("applications:write")
@blp.arguments(CloseIn, required=False)
@blp.response(200, EditionOut)
def close(_body, edition_id):
    """Zamyka edycję: nie przyjmuje już wniosków ani zgłoszeń"""
    send(commands.CloseEdition(edition_id, expected_version()))
    return _found(edition_id)


@blp.route("/<uuid:edition_id>/enrolments", methods=["GET"])
@blp.response(200, EnrolmentOut(many=True))
def enrolments(edition_id):
    """Instytucje zgłoszone do edycji"""
    _found(edition_id)
    with service_of().read() as session:
        return queries.enrolment_list(session, edition_id)


@blp.route("/<uuid:edition_id>/enrolments", methods=["POST"])
@requires("applications:write")
@blp.arguments(EnrolmentIn)
@blp.response(201, EnrolmentOut)
def enrol(body, edition_id):
    """Zgłasza instytucję do edycji (np. filię biblioteki do programu bibliotek)"""
    send(commands.EnrolInstitution(edition_id, **body))
    with service_of().read() as session:
        return queries.enrolment(session, edition_id, body["institution_id"])
