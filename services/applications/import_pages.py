"""Importing the institution register from an office's sheet: upload, a preview row by row, then confirm.

Confirming registers each new row through the same command as the API and the form. Uploading the same file
again registers nothing twice: its rows are already registered, which the domain's own rule also refuses.
"""

from __future__ import annotations

import uuid
from typing import Any

import marshmallow as ma
from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField

from infra import polish
from infra.errors import Conflict
from infra.web.app import read, service_of
from infra.web.workspace import Pages, needs
from services.applications import commands, queries
from services.applications.register_import import FIELDS_PL, NEW, REFUSED, REGISTERED, REPEATED, Unreadable, judge, read_sheet
from services.applications.schemas import InstitutionIn

WRITE = "applications:write"
STATUS = {NEW: ("nowa", "status-good"), REGISTERED: ("już w rejestrze", "status-wait"),
          REPEATED: ("powtórzona w pliku", "status-wait"), REFUSED: ("odrzucona", "status-bad")}

bp = Pages("applications_import", __name__, template_folder="templates")


class UploadForm(FlaskForm):
    sheet = FileField("Plik z rejestrem (.csv albo .xlsx)")


class RowForm(FlaskForm):
    class Meta:
        csrf = False  # one token guards the whole confirmation

    name = HiddenField()
    kind = HiddenField()
    district = HiddenField()
    is_mal = HiddenField()


class ConfirmForm(FlaskForm):
    rows = FieldList(FormField(RowForm))


def _registered(session: Any, name: str, district: str) -> bool:
    return queries.institution_named(session, name, district) is not None


@bp.route("/institutions/import", methods=["GET", "POST"])
@needs(WRITE)
def upload() -> Any:
    """Step 1: the file; step 2 (its POST): the preview of every row."""
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("applications/import.html", form=form, rows=None)
    file = form.sheet.data
    if not file or not file.filename:
        form.sheet.errors = ["Wybierz plik."]
        return render_template("applications/import.html", form=form, rows=None), 422
    try:
        rows = read(lambda session: judge(read_sheet(file.filename, file.read()),
                                          lambda name, district: _registered(session, name, district)))
    except Unreadable as exc:
        form.sheet.errors = [str(exc)]
        return render_template("applications/import.html", form=form, rows=None), 422
    confirm = ConfirmForm()
    for row in rows:
        if row.status == NEW:
            confirm.rows.append_entry({**row.values, "is_mal": "tak" if row.values["is_mal"] else ""})
    return render_template("applications/import.html", form=form, rows=rows, confirm=confirm, status=STATUS,
                           fields=FIELDS_PL, kinds=polish.INSTITUTION_KIND, filename=file.filename)


@bp.route("/institutions/import/confirm", methods=["POST"])
@needs(WRITE)
def confirm() -> Any:
    """Step 3: registers the new rows, each through RegisterInstitution; one already there is skipped."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for(".upload"))
    bus, schema, added, skipped = service_of().bus, InstitutionIn(), 0, 0
    for entry in form.rows:
        row = entry.form
        try:  # the rows come back from the page: the schema checks them again
            body = schema.load({"name": row.name.data, "kind": row.kind.data, "district": row.district.data,
                                "is_mal": row.is_mal.data == "tak"})
            bus.handle(commands.RegisterInstitution(str(uuid.uuid4()), **body))
            added += 1
        except (Conflict, ma.ValidationError):
            skipped += 1  # registered meanwhile, this confirmation sent twice, or a row changed on its way
    flash(f"Zarejestrowano: {polish.count(added, 'instytucję', 'instytucje', 'instytucji')}."
          + (f" Pominięto już zarejestrowane: {skipped}." if skipped else ""), "success")
    return redirect(url_for("applications_pages.institutions"))


@bp.errorhandler(413)
def _too_large(_error: Exception) -> Any:
    return render_template("applications/import.html", form=UploadForm(), rows=None,
                           problem="Plik jest za duży (najwyżej 1 MB)."), 413
