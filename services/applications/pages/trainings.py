"""An enrolment edition's trainings, study visits and meetings, and its trainers' monitoring visits: lists and forms."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from contracts.vocabulary import EditionKind
from infra.web.app import read
from infra.web.workspace import Paged, needs, page_error
from infra.web.workspace.forms import CommandForm, MoneyField
from services.applications import commands, course, queries
from services.applications.pages import STAGES, TRAINING_KINDS, WRITE, _edition_or_404, _not_found, bp
from services.applications.schemas import MonitoringVisitIn, TrainingIn


class TrainingForm(CommandForm):
    kind = SelectField("Rodzaj", choices=list(TRAINING_KINDS.items()), validate_choice=False, render_kw={"required": True})
    title = StringField("Temat", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    held_on = StringField("Data", render_kw={"type": "date", "required": True})
    hours = MoneyField("Liczba godzin", render_kw={"required": True, "size": 8, "autocomplete": "off"})
    institution_ids = SelectMultipleField("Instytucje, które wzięły udział", validate_choice=False,
                                          widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class VisitForm(CommandForm):
    institution_id = SelectField("Odwiedzona instytucja", validate_choice=False, render_kw={"required": True})
    visited_on = StringField("Data wizyty", render_kw={"type": "date", "required": True})
    stage = SelectField("Etap wdrażania wolontariatu", choices=[("", "wybierz etap"), *STAGES.items()],
                        validate_choice=False, render_kw={"required": True})


def enrolment_edition(edition_id: str) -> tuple[dict[str, Any] | None, Any]:
    """(the edition, None) when it takes enrolments, else (None, the error page to answer with)."""
    found = _edition_or_404(edition_id)
    if found is None:
        return None, _not_found("takiej edycji")
    if found["kind"] != EditionKind.ENROLMENT:
        return None, page_error(404, "Nie dotyczy tej edycji",
                                "Szkolenia i wizyty monitorujące zapisuje się tylko w edycjach ze zgłoszeniami instytucji.")
    return found, None


def taking_part(edition_id: str) -> list[tuple[str, str]]:
    """The edition's enrolled institutions that have not withdrawn, by name, as a form offers them."""
    found = sorted((e for e in read(queries.enrolment_list, edition_id) if e["status"] == "enrolled"),
                   key=lambda e: (e["name"].casefold(), e["district"]))
    return [(e["institution_id"], f"{e['name']} ({e['district']})") for e in found]


@bp.route("/editions/<uuid:edition_id>/trainings", methods=["GET", "POST"])
def trainings(edition_id: str) -> Any:
    """Szkolenia, wizyty studyjne i spotkania: the list, and a form to record one for institutions picked by name."""
    found, refused = enrolment_edition(edition_id)
    if found is None:
        return refused
    form = TrainingForm()
    form.institution_ids.choices = taking_part(found["id"])
    if request.method == "POST":
        return _record_training(form, found)
    return _trainings_page(form, found)


@needs(WRITE)
def _record_training(form: TrainingForm, found: dict[str, Any]) -> Any:
    training_id = str(uuid.uuid4())
    if form.send(TrainingIn(), lambda body: commands.RecordTraining(training_id, found["id"], **body)):
        if not form.repeated:
            flash(f"Zapisano: {TRAINING_KINDS.get(form.kind.data, '')} „{(form.title.data or '').strip()}”.", "success")
        return redirect(url_for(".trainings", edition_id=found["id"]))
    return _trainings_page(form, found), 422


def _trainings_page(form: TrainingForm, found: dict[str, Any]) -> str:
    listed = read(course.training_list, found["id"])
    return render_template("applications/trainings.html", edition=found, form=form, page=Paged(listed[::-1]),
                           kinds=TRAINING_KINDS, hours=sum((t["hours"] for t in listed), start=Decimal(0)))


@bp.route("/editions/<uuid:edition_id>/monitoring-visits", methods=["GET", "POST"])
def visits(edition_id: str) -> Any:
    """Wizyty monitorujące: the list, and a form to record a trainer's visit to an institution picked by name."""
    found, refused = enrolment_edition(edition_id)
    if found is None:
        return refused
    form = VisitForm()
    form.institution_id.choices = [("", "wybierz instytucję"), *taking_part(found["id"])]
    if request.method == "POST":
        return _record_visit(form, found)
    return _visits_page(form, found)


@needs(WRITE)
def _record_visit(form: VisitForm, found: dict[str, Any]) -> Any:
    visit_id = str(uuid.uuid4())
    if form.send(MonitoringVisitIn(), lambda body: commands.RecordMonitoringVisit(visit_id, found["id"], **body)):
        if not form.repeated:
            flash("Zapisano wizytę monitorującą.", "success")
        return redirect(url_for(".visits", edition_id=found["id"]))
    return _visits_page(form, found), 422


def _visits_page(form: VisitForm, found: dict[str, Any]) -> str:
    listed = read(course.visit_list, found["id"])
    return render_template("applications/visits.html", edition=found, form=form, page=Paged(listed[::-1]), stages=STAGES)
