"""Editions: the start page, the list, opening one with its rules, closing it, enrolling institutions."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from wtforms import BooleanField, Form, FormField, SelectField, StringField
from wtforms.fields import FieldList

from contracts import vocabulary
from contracts.vocabulary import EditionKind
from infra import polish
from infra.web.app import read
from infra.web.workspace import Paged, needs
from infra.web.workspace.forms import CommandForm, CountField, MoneyField
from services.applications import commands, course, queries
from services.applications.domain.editions import ENROLLING
from services.applications.pages import (
    CAP_ROWS,
    EDITION_KINDS,
    EDITION_STATUS,
    MAL_STATUS,
    PARTNERSHIP_STATUS,
    PROGRAMMES,
    ROUNDS,
    STAGES,
    WRITE,
    _caps,
    _edition_or_404,
    _names,
    _not_found,
    _with_leads,
    bp,
)
from services.applications.schemas import (
    CloseIn,
    EditionIn,
    EnrolmentIn,
)


class CapRow(Form):
    min_institutions = CountField("Od (liczba instytucji)", render_kw={"size": 4})
    max_institutions = CountField("Do (puste: bez górnej granicy)", render_kw={"size": 4})
    cap = MoneyField("Limit dofinansowania (zł)", render_kw={"size": 12})


class EditionForm(CommandForm):
    programme = SelectField("Program", choices=PROGRAMMES, validate_choice=False)
    name = StringField("Nazwa edycji", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    year = CountField("Rok", render_kw={"required": True, "size": 6})
    round = SelectField("Tura", choices=ROUNDS, validate_choice=False)
    kind = SelectField("Rodzaj naboru", choices=EDITION_KINDS, validate_choice=False)
    mal_required = BooleanField("Partnerstwo musi obejmować Miejsce Aktywności Lokalnej (MAL)")
    grant_caps = FieldList(FormField(CapRow), min_entries=CAP_ROWS, max_entries=CAP_ROWS)
    budget = MoneyField("Budżet edycji (zł)")
    opens_on = StringField("Nabór od", render_kw={"type": "date", "required": True})
    closes_on = StringField("Nabór do", render_kw={"type": "date", "required": True})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.caps_errors: list[str] = []
        self.rows: list[int] = []  # the form's row of each bracket sent, in the order sent

    def values(self) -> dict[str, Any]:
        found = super().values()
        found.pop("grant_caps", None)
        caps, self.rows = [], []
        for index, row in enumerate(self.grant_caps.entries):
            low, high, cap = (row.form[name] for name in ("min_institutions", "max_institutions", "cap"))
            if not (_typed(low) or _typed(high) or _typed(cap)):
                continue
            caps.append({"min_institutions": low.data, "max_institutions": high.data if _typed(high) else None,
                         "cap": cap.data or ""})
            self.rows.append(index)
        found["grant_caps"] = caps
        return found

    def refuse(self, message: str, field: str | None = None) -> None:
        parts = (field or "").split(".")
        if parts[0] == "grant_caps":
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.rows):
                target = self.grant_caps.entries[self.rows[int(parts[1])]].form[parts[2]]
                target.errors = [*target.errors, message]
            else:
                self.caps_errors.append(message)
            return
        super().refuse(message, field)


def _typed(field: Any) -> bool:
    """Whether anything but blanks was typed in the field."""
    return bool(field.raw_data and str(field.raw_data[0]).strip())


class CloseForm(CommandForm):
    pass


class EnrolForm(CommandForm):
    institution_id = SelectField("Instytucja", validate_choice=False)


@bp.route("/")
def home() -> Any:
    """Pulpit: the service's tasks, with what waits in each."""
    return render_template("applications/home.html", counts=read(queries.desk))


# -- editions ------------------------------------------------------------------------------------


@bp.route("/editions")
def editions() -> Any:
    """Editions, newest first, of one programme or all."""
    programme = request.args.get("program", "")
    programme = programme if programme in vocabulary.PROGRAMMES else ""
    found = read(queries.edition_list, programme or None)
    return render_template("applications/editions.html", page=Paged(found), programmes=PROGRAMMES,
                           programme=programme, names=polish.PROGRAMMES, rounds=polish.ROUNDS, statuses=EDITION_STATUS)


@bp.route("/editions/new", methods=["GET", "POST"])
def open_edition() -> Any:
    """The rules of a new edition, as a form."""
    form = EditionForm()
    if request.method == "POST":
        return _open(form)
    return _open_page(form)


@needs(WRITE)
def _open(form: EditionForm) -> Any:
    edition_id = str(uuid.uuid4())
    if form.send(EditionIn(), lambda body: commands.OpenEdition(edition_id, **body)):
        if form.repeated:
            return redirect(url_for(".editions"))
        flash(f"Otwarto edycję „{form.name.data.strip()}”.", "success")
        return redirect(url_for(".edition", edition_id=form.result))
    return _open_page(form), 422


def _open_page(form: EditionForm) -> str:
    return render_template("applications/edition_new.html", form=form)


@bp.route("/editions/<uuid:edition_id>")
def edition(edition_id: uuid.UUID) -> Any:
    """One edition: its rules, dates and status, and its proposals or enrolled institutions."""
    return _edition_page(str(edition_id))


def _edition_page(edition_id: str, close_form: CloseForm | None = None, enrol_form: EnrolForm | None = None) -> Any:
    found = _edition_or_404(edition_id)
    if found is None:
        return _not_found("takiej edycji")
    enrolling = found["kind"] == EditionKind.ENROLMENT
    course_counts = None
    if enrolling:
        listed = read(queries.enrolment_list, edition_id)
        course_counts = {"trainings": len(read(course.training_list, edition_id)),
                         "visits": len(read(course.visit_list, edition_id)),
                         "programmes": sum(1 for e in listed if e["programme_adopted_on"]),
                         "withdrawn": sum(1 for e in listed if e["status"] == "withdrawn")}
        taken = {e["institution_id"] for e in listed}
        offered = [c for c in read(_names, ENROLLING.get(found["programme"], ())) if c[0] not in taken]
        enrol_form = enrol_form or EnrolForm()
        enrol_form.institution_id.choices = [("", "wybierz instytucję"), *offered]
    else:
        listed = _with_leads(read(queries.partnership_list, edition_id))
    return render_template(
        "applications/edition.html", edition=found, caps=_caps(found), page=Paged(listed), enrolling=enrolling,
        close_form=close_form or CloseForm(version=found["version"]), enrol_form=enrol_form,
        programme=polish.PROGRAMMES.get(found["programme"], found["programme"]), rounds=polish.ROUNDS,
        statuses=EDITION_STATUS, partnership_status=PARTNERSHIP_STATUS, mal_status=MAL_STATUS,
        kind_names=polish.INSTITUTION_KIND, course=course_counts, stages=STAGES,
    )


@bp.route("/editions/<uuid:edition_id>/close", methods=["POST"])
@needs(WRITE)
def close_edition(edition_id: uuid.UUID) -> Any:
    """Closes the edition the page showed (its version: a page older than a change is refused)."""
    form = CloseForm()
    if form.send(CloseIn(), lambda _body: commands.CloseEdition(str(edition_id), form.expected_version)):
        if not form.repeated:
            flash("Edycja została zamknięta: nie przyjmuje już wniosków ani zgłoszeń.", "success")
        return redirect(url_for(".edition", edition_id=edition_id))
    return _edition_page(str(edition_id), close_form=form), 422


@bp.route("/editions/<uuid:edition_id>/enrolments", methods=["POST"])
@needs(WRITE)
def enrol(edition_id: uuid.UUID) -> Any:
    """Enrols an institution picked by name in an enrolment edition."""
    form = EnrolForm()
    if form.send(EnrolmentIn(), lambda body: commands.EnrolInstitution(str(edition_id), **body)):
        if not form.repeated:
            flash("Zgłoszono instytucję do edycji.", "success")
        return redirect(url_for(".edition", edition_id=edition_id))
    return _edition_page(str(edition_id), enrol_form=form), 422
