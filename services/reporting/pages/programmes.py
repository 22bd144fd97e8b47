"""A programme's page: the editions of a range of years, each edition's row beside the total counted once across them."""

from __future__ import annotations

import datetime
import decimal

from flask import render_template, request, url_for

from contracts import vocabulary
from infra.web.app import service_of
from services.reporting import polish
from services.reporting.pages import _as_of, _as_of_text, _error, _picker, _query, bp, field_label, figure_text
from services.reporting.readmodel import programmes, queries, report, sources

COLUMNS = {
    "partnerships": ("partnerships.funded", "funding.granted_total", "institutions.count", "volunteers.joined", "volunteers.active",
                     "volunteers.hours_approved"),
    "enrolment": ("institutions.count", "training.sessions", "training.institutions_trained", "training.institutions_visited",
                  "training.programmes_adopted", "volunteers.joined", "volunteers.active", "volunteers.hours_approved"),
}
"""The figures a programme's table shows: a partnership programme's grants, an enrolment programme's course."""
HEADERS = {
    "partnerships.funded": "Partnerstwa dofinansowane", "funding.granted_total": "Przyznano", "institutions.count": "Instytucje",
    "training.sessions": "Szkolenia", "training.institutions_trained": "Przeszkolone", "training.institutions_visited": "Odwiedzone",
    "training.programmes_adopted": "Z programem", "volunteers.joined": "Wolontariusze", "volunteers.active": "Aktywni",
    "volunteers.hours_approved": "Godziny",
}
"""The table's short column headers (each total's sources page names the figure in full)."""
ONCE = ("institutions.count", "training.institutions_trained", "training.institutions_visited", "training.programmes_adopted",
        "volunteers.joined", "volunteers.active")
"""The figures counted once across editions: an institution or a volunteer of two editions is in both rows, once in the total."""


def _years() -> tuple[int | None, int | None, str | None]:
    """(from_year, to_year, error message) from the query."""
    found: list[int | None] = []
    for name, label in (("from_year", "początkowy"), ("to_year", "końcowy")):
        text = request.args.get(name, "").strip()
        if not text:
            found.append(None)
        elif not text.isdigit() or not 2000 <= int(text) <= 2100:
            return None, None, f"Rok {label} podaj jako liczbę od 2000 do 2100."
        else:
            found.append(int(text))
    first, last = found
    if first is not None and last is not None and first > last:
        return None, None, f"Rok końcowy ({last}) jest wcześniejszy niż początkowy ({first})."
    return first, last, None


def _span(session, programme: str):
    """(span, as_of, error page) for the request."""
    as_of, problem = _as_of()
    first, last, wrong_years = _years()
    back = url_for("pages.programme", programme=programme)
    if problem or wrong_years:
        return None, None, _error(422, "Niepoprawny zakres", problem or wrong_years or "", back=back)
    return programmes.span(session, programme, first, last, as_of), as_of, None


def _unknown(programme: str):
    return _error(404, "Nie ma takiego programu", f"Nie prowadzimy programu „{programme[:40]}”.", back=url_for("pages.editions"))


@bp.get("/programmes/<programme>", endpoint="programme")
def programme_page(programme):
    if programme not in vocabulary.PROGRAMMES:
        return _unknown(programme)
    with service_of().read() as session:
        found, as_of, refused = _span(session, programme)
        if refused:
            return refused
        totals = programmes.summary(session, found, as_of)
        rows = queries.summaries(session, found.editions, as_of)
    columns = COLUMNS["partnerships" if programme == vocabulary.Programme.PARTNERSHIPS else "enrolment"]
    labels = dict(report.HEADLINES)
    added = {field: _row_sum(rows, field) for field in columns}
    repeated = {field: added[field] - sources.value_of(totals, field) for field in ONCE if field in columns}
    keep = {"from_year": found.from_year, "to_year": found.to_year, "as_of": _as_of_text()}
    return render_template(
        "programme.html",
        programme=programme,
        name=polish.PROGRAMMES[programme],
        found=found,
        totals=totals,
        rows=list(zip(found.editions, rows)),
        columns=[(field, HEADERS[field]) for field in columns],
        labels=labels,
        added=added,
        repeated=repeated,
        once=ONCE,
        value_of=sources.value_of,
        as_of=as_of,
        moment=as_of or datetime.datetime.now(datetime.timezone.utc),
        picker=_picker(as_of),
        suffix=_query(as_of=_as_of_text()),
        keep=_query(**{k: str(v) if v is not None else "" for k, v in keep.items()}),
        rounds=polish.ROUNDS,
        plural=polish.plural,
    )


def _row_sum(rows: list[dict], field: str) -> int | str:
    """The rows' figures added up (what the total would be if nothing were counted once); amounts and hours as the summary writes them."""
    if field in report.MONEY_FIELDS | report.HOURS_FIELDS:
        return f"{sum((decimal.Decimal(sources.value_of(r, field)) for r in rows), decimal.Decimal(0)):.2f}"
    return sum(int(sources.value_of(r, field)) for r in rows)


@bp.get("/programmes/<programme>/sources", endpoint="programme_sources")
def programme_sources(programme):
    if programme not in vocabulary.PROGRAMMES:
        return _unknown(programme)
    field = request.args.get("field", "")
    with service_of().read() as session:
        found, as_of, refused = _span(session, programme)
        if refused:
            return refused
        back = url_for("pages.programme", programme=programme) + _query(
            from_year=str(found.from_year or ""), to_year=str(found.to_year or ""), as_of=_as_of_text())
        if field not in sources.TRACES:
            return _error(422, "Nieznana liczba", f"Nie ma w podsumowaniu pola „{field[:60]}”.", back=back)
        totals = programmes.summary(session, found, as_of)
        trace = sources.trace(session, found.ids, field, as_of)
    years = f"{found.from_year}–{found.to_year}" if found.from_year != found.to_year else str(found.from_year or "")
    return render_template(
        "sources.html",
        title=f"{polish.PROGRAMMES[programme]} {years}".strip(),
        field=field,
        label=field_label(field),
        value=figure_text(sources.value_of(totals, field), field),
        trace=trace,
        as_of=as_of,
        moment=as_of or datetime.datetime.now(datetime.timezone.utc),
        back=back,
        api=url_for("programmes.summary_sources", programme=programme) + _query(
            field=field, from_year=str(found.from_year or ""), to_year=str(found.to_year or ""), as_of=_as_of_text()),
        event_names=polish.EVENTS,
        plural=polish.plural,
        parse_time=datetime.datetime.fromisoformat,
    )
