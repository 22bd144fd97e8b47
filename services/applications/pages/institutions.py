"""The institution register: searched by name, district and kind; registering one."""

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
    bp,
)
from services.applications.schemas import (
    InstitutionIn,
)


class InstitutionForm(CommandForm):
    name = StringField("Nazwa instytucji", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    kind = SelectField("Rodzaj", choices=KINDS, validate_choice=False)
    district = SelectField("Dzielnica", choices=DISTRICTS, validate_choice=False)
    is_mal = BooleanField("Działa w niej Miejsce Aktywności Lokalnej (MAL)")


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
