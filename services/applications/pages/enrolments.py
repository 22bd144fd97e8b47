"""One institution's path through an enrolment edition: its trainings and visits; its programme adopted; its withdrawal."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from wtforms import StringField, TextAreaField

from infra.web.app import read
from infra.web.workspace import needs
from infra.web.workspace.forms import CommandForm
from services.applications import commands, course, queries
from services.applications.pages import STAGES, TRAINING_KINDS, WRITE, _not_found, bp
from services.applications.pages.trainings import enrolment_edition
from services.applications.schemas import ProgrammeIn, WithdrawIn


class ProgrammeForm(CommandForm):
    adopted_on = StringField("Dzień przyjęcia programu", render_kw={"type": "date", "required": True})


class LeaveForm(CommandForm):
    reason = TextAreaField("Powód wycofania", render_kw={"required": True, "rows": 3, "maxlength": 2000})


@bp.route("/editions/<uuid:edition_id>/enrolments/<uuid:institution_id>")
def enrolment(edition_id: str, institution_id: str) -> Any:
    """Where one enrolled institution stands: trained, visited, its programme adopted, or withdrawn."""
    return _enrolment_page(edition_id, institution_id)


def _enrolment_page(edition_id: str, institution_id: str, programme_form: ProgrammeForm | None = None,
                    leave_form: LeaveForm | None = None, status: int = 200) -> Any:
    edition, refused = enrolment_edition(edition_id)
    if edition is None:
        return refused
    found = read(queries.enrolment, edition_id, institution_id)
    if found is None:
        return _not_found("takiej instytucji wśród zgłoszonych do tej edycji")
    return render_template(
        "applications/enrolment.html", edition=edition, enrolment=found, kinds=TRAINING_KINDS, stages=STAGES,
        trainings=read(course.training_list, edition_id, institution_id),
        visits=read(course.visit_list, edition_id, institution_id),
        programme_form=programme_form or ProgrammeForm(version=found["version"]),
        leave_form=leave_form or LeaveForm(version=found["version"]),
    ), status


@bp.route("/editions/<uuid:edition_id>/enrolments/<uuid:institution_id>/programme", methods=["POST"])
@needs(WRITE)
def adopt_programme(edition_id: str, institution_id: str) -> Any:
    """Marks the institution's volunteering programme adopted, on the day given (once)."""
    form = ProgrammeForm()
    command = lambda body: commands.AdoptProgramme(edition_id, institution_id, **body,  # noqa: E731
                                                   expected_version=form.expected_version)
    if form.send(ProgrammeIn(), command):
        if not form.repeated:
            flash("Zapisano przyjęcie programu wolontariatu.", "success")
        return redirect(url_for(".enrolment", edition_id=edition_id, institution_id=institution_id))
    return _enrolment_page(edition_id, institution_id, programme_form=form, status=422)


@bp.route("/editions/<uuid:edition_id>/enrolments/<uuid:institution_id>/withdraw", methods=["POST"])
@needs(WRITE)
def withdraw_enrolment(edition_id: str, institution_id: str) -> Any:
    """Withdraws the institution from the edition, with the reason: it gets no new trainings, visits or programme."""
    form = LeaveForm()
    command = lambda body: commands.WithdrawEnrolment(edition_id, institution_id, **body,  # noqa: E731
                                                      expected_version=form.expected_version)
    if form.send(WithdrawIn(), command):
        if not form.repeated:
            flash("Instytucja została wycofana z edycji.", "success")
        return redirect(url_for(".enrolment", edition_id=edition_id, institution_id=institution_id))
    return _enrolment_page(edition_id, institution_id, leave_form=form, status=422)
