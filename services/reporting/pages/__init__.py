"""Pages people read: the edition summary for the January meeting, the list of editions, a figure's sources.

They are staff pages of the workspace (infra.web.workspace): signed in once for all four services, a person
without a valid sign-in is sent to it instead of answering JSON 401 as the API does.
"""

from __future__ import annotations

import datetime
import urllib.parse

from flask import redirect, render_template, request, url_for
from markupsafe import Markup

from contracts import vocabulary
from infra.web.app import service_of
from infra.web.workspace import Pages
from services.reporting import moments, polish
from services.reporting.pages import charts
from services.reporting.readmodel import queries, report, sources

bp = Pages("pages", __name__, template_folder="templates", open_endpoints=("login",))


@bp.route("/login")
def login():
    """Where the summaries' sign-in used to be: the workspace's one sign-in now."""
    return redirect(url_for("workspace.signin", next=request.args.get("next")))


@bp.app_template_filter("pln")
def _pln(value, grosze: bool = False):
    return polish.pln(value, grosze=grosze)  # templates write |pln(True); polish.pln takes grosze by name


@bp.app_template_filter("figure")
def figure_text(value, field: str) -> str:
    """A summary figure as staff read it: an amount in złoty, hours, or a count."""
    if field in report.MONEY_FIELDS:
        return polish.pln(value)
    return polish.hours(value) if field in report.HOURS_FIELDS else polish.number(value)


for _name, _filter in (("number", polish.number), ("date_pl", polish.date), ("moment_pl", polish.moment), ("hours_pl", polish.hours),
                       ("day_pl", polish.day_of)):
    bp.add_app_template_filter(_filter, _name)


def _error(status: int, title: str, message: str, **links):
    return render_template("error.html", status=status, title=title, message=message, links=links), status


def _as_of() -> tuple[datetime.datetime | None, str | None]:
    """(moment, error message) from ?as_of=."""
    if len(request.args.getlist("as_of")) > 1:
        # Which of two dates a person meant cannot be guessed; the API answers the same with a 422.
        return None, "Podaj datę (as_of) tylko raz."
    text = _as_of_text()
    if not text:
        return None, None
    try:
        return moments.parse(text), None
    except moments.BadMoment as exc:
        return None, str(exc)


def _as_of_text() -> str:
    """?as_of= as the person typed it, for links that keep showing the same moment."""
    return request.args.get("as_of", "").strip()


def _picker(as_of: datetime.datetime | None) -> str:
    """The date field's value: the day of `as_of` in Warsaw."""
    return moments.in_warsaw(as_of).date().isoformat() if as_of else ""


@bp.get("/", endpoint="home")
def home():
    return redirect(url_for("pages.editions"))


@bp.get("/editions", endpoint="editions", strict_slashes=False)  # /editions/ too, not the API's JSON 404
def editions():
    as_of, problem = _as_of()
    if problem:
        return _error(422, "Niepoprawna data", problem, back=url_for("pages.editions"))
    with service_of().read() as session:
        rows = queries.edition_rows(session, as_of=as_of)
        figures = queries.summaries(session, rows, as_of)
    return render_template(
        "editions.html",
        items=list(zip(rows, figures)),
        as_of=as_of,
        moment=as_of or datetime.datetime.now(datetime.timezone.utc),
        picker=_picker(as_of),
        suffix=_query(as_of=_as_of_text()),  # each edition's page as of the same moment
        subtitle=polish.edition_subtitle,
        programmes=[(code, polish.PROGRAMMES[code]) for code in vocabulary.PROGRAMMES],
    )


def _charts(found: report.Report) -> dict[str, Markup | None]:
    by_size = found.by_size
    funding = None
    if by_size and any(r["proposed"] for r in by_size):
        funding = charts.hbars(
            [
                charts.Bar(
                    label=found.size_label(r["size"]),
                    value=r["granted"],
                    text=f"{polish.pln(r['granted'], grosze=True)} · {r['funded']} "
                    f"{polish.plural(r['funded'], 'dofinansowane', 'dofinansowane', 'dofinansowanych')}",
                    second=r["requested"],
                    second_text=f"{polish.pln(r['requested'], grosze=True)} · {r['proposed']} "
                    f"{polish.plural(r['proposed'], 'zgłoszone', 'zgłoszone', 'zgłoszonych')}",
                )
                for r in by_size
            ],
            title="Dofinansowanie według wielkości partnerstwa",
            desc="Dla każdej liczby instytucji w partnerstwie: kwota przyznana i kwota wnioskowana (bez wycofanych).",
            legend=[(charts.PRIMARY, "przyznano"), (charts.SECONDARY, "wnioskowano (bez wycofanych)")],
            label_width=130,
            width=charts.WIDE,
        )
    kinds = found.by_kind()
    districts = found.by_district()
    by_kind = charts.hbars(
        [charts.Bar(label, n, polish.number(n)) for _, label, n in kinds],
        title="Instytucje według rodzaju",
        desc="; ".join(f"{label}: {n}" for _, label, n in kinds),
        label_width=230,
    ) if kinds else None
    by_district = charts.hbars(
        [charts.Bar(label, n, polish.number(n)) for _, label, n in districts],
        title="Instytucje według dzielnicy",
        desc="; ".join(f"{label}: {n}" for _, label, n in districts),
        label_width=150,
    ) if districts else None
    months = found.months
    volunteers = charts.columns_and_line(
        [polish.month_short(m.year, m.month) for m in months],
        [m.active for m in months],
        [m.joined for m in months],
        title="Wolontariusze w kolejnych miesiącach",
        desc="; ".join(f"{polish.month_short(m.year, m.month)}: aktywni {m.active}, dołączyli łącznie {m.joined}" for m in months),
        column_label="Aktywni na koniec miesiąca",
        line_label="Dołączyli (łącznie)",
    ) if months else None
    return {"funding": funding, "by_kind": by_kind, "by_district": by_district, "volunteers": volunteers}


def _query(**params) -> str:
    clean = {k: v for k, v in params.items() if v}
    return ("?" + urllib.parse.urlencode(clean)) if clean else ""


@bp.get("/editions/<uuid:edition_id>", endpoint="edition")
def edition(edition_id):
    as_of, problem = _as_of()
    if problem:
        return _error(422, "Niepoprawna data", problem, back=url_for("pages.edition", edition_id=edition_id))
    with service_of().read() as session:
        found = queries.edition(session, edition_id)
        if found is None:
            return _error(404, "Nie ma takiej edycji", f"Żadne zdarzenie nie dotyczyło edycji {edition_id}.",
                          back=url_for("pages.editions"))
        data = report.build(session, found, as_of)
    return render_template(
        "edition.html",
        r=data,
        charts=_charts(data),
        picker=_picker(as_of),
        suffix=_query(as_of=_as_of_text()),
        subtitle=polish.edition_subtitle(found),
        plural=polish.plural,
        state_names=polish.GRANT_STATES,
        step_names=polish.STEPS,
        waiting=polish.WAITING,
        stage_names=polish.STAGES,
    )


@bp.get("/editions/<uuid:edition_id>/sources", endpoint="sources")
def edition_sources(edition_id):
    as_of, problem = _as_of()
    field = request.args.get("field", "")
    back = url_for("pages.edition", edition_id=edition_id) + _query(as_of=_as_of_text())
    if problem:
        return _error(422, "Niepoprawna data", problem, back=back)
    if field not in sources.TRACES:
        return _error(422, "Nieznana liczba", f"Nie ma w podsumowaniu pola „{field[:60]}”.", back=back)
    with service_of().read() as session:
        found = queries.edition(session, edition_id)
        if found is None:
            return _error(404, "Nie ma takiej edycji", f"Żadne zdarzenie nie dotyczyło edycji {edition_id}.",
                          back=url_for("pages.editions"))
        figures = queries.summary(session, found, as_of)
        trace = sources.trace(session, [found["id"]], field, as_of)
    value = sources.value_of(figures, field)
    shown = figure_text(value, field)
    return render_template(
        "sources.html",
        edition=found,
        title=found.get("name") or f"Edycja {found['id']}",
        field=field,
        label=field_label(field),
        value=shown,
        trace=trace,
        as_of=as_of,
        moment=as_of or datetime.datetime.now(datetime.timezone.utc),
        back=back,
        api=url_for("editions.summary_sources", edition_id=edition_id) + _query(field=field, as_of=_as_of_text()),
        event_names=polish.EVENTS,
        plural=polish.plural,
        parse_time=datetime.datetime.fromisoformat,
    )


@bp.get("/editions/<path:rest>", endpoint="missing")
def missing(rest):
    """Any other address under /editions (an id that is not one, a mistyped tail): a page, not the API's JSON 404."""
    return _error(404, "Nie ma takiej strony", f"Pod adresem /editions/{rest[:80]} nic nie ma. Wybierz edycję z listy.",
                  back=url_for("pages.editions"))


def field_label(field: str) -> str:
    """A summary field as staff name it: institutions.by_kind.mal → Instytucje: Miejsca Aktywności Lokalnej."""
    labels = dict(report.HEADLINES)
    if field in labels:
        return labels[field]
    group, _, value = field.removeprefix("institutions.").partition(".")
    if group == "by_kind":
        return f"Instytucje: {polish.kind(value)}"
    return f"Instytucje w dzielnicy: {polish.district(value)}"


from services.reporting.pages import programmes as programmes  # noqa: E402 - its pages register on bp, defined above
