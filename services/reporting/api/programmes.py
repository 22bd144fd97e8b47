"""A programme's totals over the editions of some years, each figure counted once across them, and their sources."""

from __future__ import annotations

from marshmallow import RAISE

from contracts import vocabulary
from infra.polish import PROGRAMMES
from infra.web.app import service_of
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.reporting.api.editions import as_of_of, known_field
from services.reporting.api.schemas import ProgrammeQuery, ProgrammeSourcesOut, ProgrammeSourcesQuery, ProgrammeSummaryOut
from services.reporting.readmodel import programmes, remembered, sources

blp = Blueprint(
    "programmes",
    __name__,
    url_prefix="/api/v1/programmes",
    description="Łączne liczby programu w edycjach wybranych lat: każda instytucja i każdy wolontariusz liczeni raz",
)


def span_of(session, programme: str, query: dict) -> programmes.Span:
    """The editions the query asks for (404 for an unknown programme, 422 for a range that ends before it starts)."""
    first, last = _years_of(programme, query)
    return programmes.span(session, programme, first, last, as_of_of(query))


def _years_of(programme: str, query: dict) -> tuple[int | None, int | None]:
    """(from_year, to_year) asked for, after the 404 and 422 of span_of."""
    if programme not in vocabulary.PROGRAMMES:
        known = ", ".join(f"{code} ({PROGRAMMES[code]})" for code in vocabulary.PROGRAMMES)
        abort(404, message=f"Nie ma programu „{programme[:40]}”. Programy: {known}.")
    first, last = query.get("from_year"), query.get("to_year")
    if first is not None and last is not None and first > last:
        message = f"Rok końcowy ({last}) jest wcześniejszy niż początkowy ({first})."
        abort(422, message=message, errors={"query": {"to_year": [message]}}, rule="year_range")
    return first, last


@blp.route("/<programme>/summary", methods=["GET"])
@blp.arguments(ProgrammeQuery, location="query", unknown=RAISE)
@blp.response(200, ProgrammeSummaryOut)
def summary(query, programme):
    """Łączne liczby programu w edycjach lat from_year–to_year (każda instytucja i każdy wolontariusz raz)"""
    first, last = _years_of(programme, query)
    as_of = as_of_of(query)
    with service_of().read() as session:
        if as_of is None:  # now: remembered until a fact it reads changes
            return remembered.totals.summary(session, programme, first, last)
        return programmes.summary(session, programmes.span(session, programme, first, last, as_of), as_of)


@blp.route("/<programme>/summary/sources", methods=["GET"])
@blp.arguments(ProgrammeSourcesQuery, location="query", unknown=RAISE)
@blp.response(200, ProgrammeSourcesOut)
def summary_sources(query, programme):
    """Zdarzenia, z których wynika jedna łączna liczba programu"""
    field = known_field(query)
    as_of = as_of_of(query)
    with service_of().read() as session:
        found = span_of(session, programme, query)
        figures = programmes.summary(session, found, as_of)
        trace = sources.trace(session, found.ids, field, as_of)
    return {
        "programme": programme,
        "from_year": found.from_year,
        "to_year": found.to_year,
        "edition_ids": found.ids,
        "field": field,
        "value": sources.value_of(figures, field),
        "derivation": trace.derivation,
        "explanation": trace.explanation,
        "as_of": figures["as_of"],
        "sources": trace.sources,
    }

