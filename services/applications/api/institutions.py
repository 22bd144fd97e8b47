"""The institution register."""

import uuid
from typing import Any

from flask.views import MethodView
from sqlalchemy.orm import Session

from infra.web.app import read, send
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.applications import commands, queries
from services.applications.schemas import InstitutionIn, InstitutionOut, InstitutionQuery

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions", description="Rejestr instytucji")


def _found(session: Session, institution_id: str) -> dict[str, Any]:
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
        return read(lambda session: queries.institution_list(session, **query))

    @requires("applications:write")
    @blp.arguments(InstitutionIn)
    @blp.response(201, InstitutionOut)
    def post(self, body):
        """Rejestruje instytucję (nazwa w dzielnicy musi być unikalna)"""
        institution_id = str(uuid.uuid4())
        return send(commands.RegisterInstitution(institution_id, **body), _found, institution_id)


@blp.route("/<uuid:institution_id>")
@blp.response(200, InstitutionOut)
def institution(institution_id):
    """Jedna instytucja"""
    return read(_found, institution_id)
