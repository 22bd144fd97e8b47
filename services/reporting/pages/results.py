"""/wyniki: the open results for residents, without signing in; cacheable like the open API they show."""

from __future__ import annotations

from flask import render_template, url_for

from infra.web.app import service_of
from infra.web.workspace import Pages
from services.reporting import polish
from services.reporting.api.public import cacheable
from services.reporting.readmodel import public

bp = Pages("results", __name__, template_folder="templates", open_endpoints=("results", "result", "missing"))
"""Every page here is open: residents never sign in."""


def _render(template: str, **values) -> str:
    nav = [("results", url_for("results.results"), "Wyniki", True)]  # residents' masthead leads here, not to staff pages
    return render_template(template, nav=nav, principal=None, plural=polish.plural, kinds=polish.KINDS, **values)


def _page(template: str, **values):
    """The page, cacheable: it is the same for everyone (nobody is signed in here)."""
    return cacheable(_render(template, **values).encode("utf-8"), "text/html; charset=utf-8")


def _missing():
    return _render("results_missing.html"), 404


@bp.get("/wyniki", endpoint="results", strict_slashes=False)
def results():
    with service_of().read() as session:
        records = public.results(session, public.opened(session))
    return _page("results.html", records=records)


@bp.get("/wyniki/<uuid:edition_id>", endpoint="result")
def result(edition_id):
    with service_of().read() as session:
        found = public.results(session, public.opened(session, edition_id))
    if not found:
        return _missing()
    return _page("result.html", e=found[0])


@bp.get("/wyniki/<path:rest>", endpoint="missing")
def missing(rest):
    """Any other address under /wyniki: a page for residents, not the API's JSON 404."""
    return _missing()
