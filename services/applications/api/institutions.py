"""The institution register."""

import uuid

from flask.views import MethodView

from infra.web.app import send, service_of
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.applications import commands, queries
from services.applications.schemas import InstitutionIn, InstitutionOut, InstitutionQuery

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions", description="Rejestr instytucji")


def _found(institution_id: str):
    with service_of().read() as session:
        institution = queries.institution(session, institution_id)
    if institution is None:
        abort(404, message=f"Nie ma instytucji {institution_id}.")
    return institution


@blp.route("")
class Institutions(MethodView):
    @blp.arguments(InstitutionQuery, location="query")
    @blp.response(200, InstitutionOut(many=True))
    def get(self, query):
        """Lista instytucji"""
        with service_of().read() as session:
            return queries.institution_list(session, **query)

    @requires("applications:write")
    @blp.arguments(InstitutionIn)
    @blp.response(201, InstitutionOut)
    def post(self, body):
        """Rejestruje instytucję (nazwa w dzielnicy musi być unikalna)"""
        institution_id = send(commands.RegisterInstitution(institution_id=str(uuid.uuid4()), **body))
        return _found(institution_id)


@blp.route("/<uuid:institution_id>")
@blp.response(200, InstitutionOut)
def institution(institution_id):
    """Jedna instytucja"""
    return _found(institution_id)
