"""The personal-data access log, for auditors: who read, registered or erased whose data, and when."""

from infra.web.app import read
from infra.web.auth import requires
from infra.web.blueprint import Blueprint
from services.volunteers import access
from services.volunteers.schemas import AccessOut, AccessQuery

blp = Blueprint("access", __name__, url_prefix="/api/v1/personal-data-access",
                description="Rejestr dostępu do danych osobowych (tylko rola audit); sam nie zawiera danych osobowych")


@blp.route("")
@requires("audit")
@blp.arguments(AccessQuery, location="query")
@blp.response(200, AccessOut(many=True))
def personal_data_access(query):
    """Kto i kiedy odczytał, zarejestrował albo usunął dane osoby (najnowsze najpierw)"""
    return read(access.of, query.get("volunteer_id"))
