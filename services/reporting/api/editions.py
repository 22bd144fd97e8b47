"""Edition summaries, the events behind each figure, and the exports."""

from __future__ import annotations

import datetime
import urllib.parse

from flask import Response
from marshmallow import RAISE

from infra.web.app import service_of
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.reporting import moments
from services.reporting.api import exports
from services.reporting.api.schemas import SourcesOut, SourcesQuery, SummaryOut, SummaryQuery
from services.reporting.readmodel import queries, report, sources

blp = Blueprint(
    "editions",
    __name__,
    url_prefix="/api/v1/editions",
    description="Podsumowania edycji zbudowane wyłącznie ze zdarzeń; stan na dowolny moment (as_of)",
)


def as_of_of(query: dict) -> datetime.datetime | None:
    text = query.get("as_of")
    if text is None:
        return None
    try:
        return moments.parse(text)
    except moments.BadMoment as exc:
        abort(422, message=str(exc), errors={"query": {"as_of": [str(exc)]}}, rule="as_of")


def known_field(query: dict) -> str:
    """The summary's field a sources query names (422 naming the valid ones otherwise)."""
    field = query["field"]
    if field not in sources.TRACES:
        message = (
            f"Nieznane pole „{field[:60]}”. Dozwolone: {', '.join(sources.HEADLINE_FIELDS)}, "
            "institutions.by_kind.<rodzaj>, institutions.by_district.<dzielnica>."
        )
        abort(422, message=message, errors={"query": {"field": [message]}}, rule="unknown_field")
    return field


def edition_or_404(session, edition_id: str) -> dict:
    edition = queries.edition(session, edition_id)
    if edition is None:
        abort(404, message=f"Nie ma edycji {edition_id} w podsumowaniach (żadne zdarzenie jej nie dotyczyło).")
    return edition


@blp.route("", methods=["GET"])
@blp.arguments(SummaryQuery, location="query", unknown=RAISE)
@blp.response(200, SummaryOut(many=True))
def edition_list(query):
    """Podsumowanie każdej edycji (z as_of: każdej otwartej do tego momentu)"""
    as_of = as_of_of(query)
    with service_of().read() as session:
        return queries.summaries(session, queries.edition_rows(session, as_of=as_of), as_of)


@blp.route("/<uuid:edition_id>/summary", methods=["GET"])
@blp.arguments(SummaryQuery, location="query", unknown=RAISE)
@blp.response(200, SummaryOut)
def summary(query, edition_id):
    """Podsumowanie edycji (także stan na wskazany moment: as_of)"""
    as_of = as_of_of(query)
    with service_of().read() as session:
        kept = queries.kept_summary(session, edition_id) if as_of is None else None
        return kept or queries.summary(session, edition_or_404(session, edition_id), as_of)


@blp.route("/<uuid:edition_id>/summary/sources", methods=["GET"])
@blp.arguments(SourcesQuery, location="query", unknown=RAISE)
@blp.response(200, SourcesOut)
def summary_sources(query, edition_id):
    """Zdarzenia, z których wynika jedna liczba podsumowania"""
    field = known_field(query)
    as_of = as_of_of(query)
    with service_of().read() as session:
        edition = edition_or_404(session, edition_id)
        figures = queries.summary(session, edition, as_of)
        trace = sources.trace(session, [edition["id"]], field, as_of)
    return {
        "edition_id": edition["id"],
        "field": field,
        "value": sources.value_of(figures, field),
        "derivation": trace.derivation,
        "explanation": trace.explanation,
        "as_of": figures["as_of"],
        "sources": trace.sources,
    }


def _download(content: bytes, content_type: str, filename: str) -> Response:
    quoted = urllib.parse.quote(filename)
    response = Response(content, content_type=content_type)
    response.headers["Content-Disposition"] = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quoted}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _report(query, edition_id) -> report.Report:
    as_of = as_of_of(query)
    with service_of().read() as session:
        return report.build(session, edition_or_404(session, edition_id), as_of)


@blp.route("/<uuid:edition_id>/export.csv", methods=["GET"])
@blp.arguments(SummaryQuery, location="query", unknown=RAISE)
@blp.doc(responses={"200": {"description": "CSV (UTF-8 z BOM, separator ;, przecinek dziesiętny)",
                            "content": {"text/csv": {}}}})
def export_csv(query, edition_id):
    """Dane strony podsumowania jako CSV dla arkusza kalkulacyjnego"""
    found = _report(query, edition_id)
    return _download(exports.to_csv(found), exports.CSV_TYPE, f"{found.file_stem()}.csv")


@blp.route("/<uuid:edition_id>/export.xlsx", methods=["GET"])
@blp.arguments(SummaryQuery, location="query", unknown=RAISE)
@blp.doc(responses={"200": {"description": "Skoroszyt Excel, arkusz na każdą tabelę strony",
                            "content": {exports.XLSX_TYPE: {}}}})
def export_xlsx(query, edition_id):
    """Dane strony podsumowania jako skoroszyt XLSX"""
    found = _report(query, edition_id)
    return _download(exports.to_xlsx(found), exports.XLSX_TYPE, f"{found.file_stem()}.xlsx")
