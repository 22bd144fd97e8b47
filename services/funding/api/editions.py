"""Editions as funding sees them: the budget and what is left of it."""


from infra.web.app import service_of
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.funding import queries
from services.funding.schemas import BudgetOut

blp = Blueprint("budgets", __name__, url_prefix="/api/v1/editions", description="Budżety edycji")


@blp.route("/<uuid:edition_id>/budget")
@blp.response(200, BudgetOut)
def budget(edition_id):
    """Budżet edycji: ile przyznano i ile zostało"""
    with service_of().read() as session:
        found = queries.budget(session, edition_id)
    if found is None:
        abort(404, message=f"Nie ma edycji {edition_id} (albo jej dane jeszcze nie dotarły).")
    return found
