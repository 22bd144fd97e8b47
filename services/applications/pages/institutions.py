"""The institution register: searched by name, district and kind; registering one, correcting one."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from wtforms import BooleanField, SelectField, StringField

from contracts import vocabulary
from infra import polish
from infra.web.app import read
from infra.web.workspace import Paged, needs
from infra.web.workspace.forms import CommandForm
from services.applications import commands, queries
from services.applications.domain.institutions import normalised_name
from services.applications.pages import (
    DISTRICTS,
    KINDS,
    WRITE,
    _not_found,
    bp,
)
from services.applications.schemas import (
    InstitutionChangeIn,
    InstitutionIn,
)


class InstitutionForm(CommandForm):
    name = StringField("Nazwa instytucji", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    kind = SelectField("Rodzaj", choices=KINDS, validate_choice=False)
    district = SelectField("Dzielnica", choices=DISTRICTS, validate_choice=False)
    is_mal = BooleanField("Działa w niej Miejsce Aktywności Lokalnej (MAL)")


class CorrectionForm(InstitutionForm):
    """The register's fields, prefilled with the institution as it stands and the version it was read at."""

    def values(self) -> dict[str, Any]:
        # A cleared name is sent, for the schema to refuse: left out, it would mean "keep the name" and pass silently.
        return {"name": self.name.data or "", **super().values()}


def _institutions(session: Any, name: str, district: str | None, kind: str | None) -> list[dict[str, Any]]:
    found = queries.institution_list(session, district=district or None, kind=kind or None)
    wanted = normalised_name(name) if name else ""
    return [i for i in found if wanted in i["name_key"]] if wanted else found


@bp.route("/institutions", methods=["GET", "POST"])
def institutions() -> Any:
    """The institution register: search by name, district and kind; register one."""
    form = InstitutionForm()
    if request.method == "POST":
        return _register(form)
    return _register_page(form)


@needs(WRITE)
def _register(form: InstitutionForm) -> Any:
    if form.send(InstitutionIn(), lambda body: commands.RegisterInstitution(str(uuid.uuid4()), **body)):
        if not form.repeated:
            flash(f"Zarejestrowano instytucję „{form.name.data.strip()}”.", "success")
        return redirect(url_for(".institutions", nazwa=form.name.data.strip()))
    return _register_page(form), 422


def _register_page(form: InstitutionForm) -> str:
    name, district, kind = (request.args.get(k, "").strip() for k in ("nazwa", "dzielnica", "rodzaj"))
    found = read(_institutions, name, district if district in vocabulary.DISTRICTS else None,
                 kind if kind in vocabulary.INSTITUTION_KINDS else None)
    return render_template("applications/institutions.html", form=form, page=Paged(found), kinds=KINDS,
                           districts=DISTRICTS, filters={"nazwa": name, "dzielnica": district, "rodzaj": kind},
                           kind_names=polish.INSTITUTION_KIND)


@bp.route("/institutions/<uuid:institution_id>/edit", methods=["GET", "POST"])
def correct_institution(institution_id: uuid.UUID) -> Any:
    """A correction of the register: the institution's details prefilled; a page someone has since changed is refused."""
    found = read(queries.institution, str(institution_id))
    if found is None:
        return _not_found("takiej instytucji")
    if request.method == "POST":
        return _correct(CorrectionForm(), found)
    details = {name: found[name] for name in ("name", "kind", "district", "is_mal")}
    return _correct_page(CorrectionForm(data=details, version=found["version"]), found)


@needs(WRITE)
def _correct(form: CorrectionForm, found: dict[str, Any]) -> Any:
    command = lambda body: commands.ChangeInstitutionDetails(found["id"], **body,  # noqa: E731
                                                            expected_version=form.expected_version)
    if not form.send(InstitutionChangeIn(), command):
        return _correct_page(form, found), 422
    now = read(queries.institution, found["id"])
    if not form.repeated:  # a second submit of the form: the first one said what it did
        unchanged = now["version"] == form.expected_version
        flash(f"Dane instytucji „{now['name']}” są takie jak w rejestrze: niczego nie zmieniono." if unchanged
              else f"Poprawiono dane instytucji „{now['name']}”.", "success")
    return redirect(url_for(".institutions", nazwa=now["name"]))


def _correct_page(form: CorrectionForm, found: dict[str, Any]) -> str:
    return render_template("applications/institution_edit.html", form=form, institution=found, kind_names=polish.INSTITUTION_KIND)
