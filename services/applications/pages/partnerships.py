"""Partnerships: proposing one, its page, the MAL check and its worklist, withdrawal."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from contracts.vocabulary import MalStatus, PartnershipStatus
from infra import polish
from infra.web.app import read
from infra.web.workspace import Paged, needs
from infra.web.workspace.forms import CommandForm, MoneyField
from services.applications import commands, queries
from services.applications.pages import (
    MAL_STATUS,
    PARTNERSHIP_STATUS,
    WRITE,
    _caps,
    _edition_or_404,
    _names,
    _not_found,
    _with_leads,
    bp,
)
from services.applications.schemas import (
    MALVerificationIn,
    PartnershipIn,
    WithdrawIn,
)


class ProposalForm(CommandForm):
    title = StringField("Tytuł partnerstwa", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    institution_ids = SelectMultipleField("Instytucje w partnerstwie", validate_choice=False,
                                          widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    lead_institution_id = SelectField("Instytucja wiodąca", validate_choice=False)
    requested_amount = MoneyField("Wnioskowana kwota (zł)", render_kw={"required": True})

    def __init__(self, edition_id: str, institutions: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition_id = edition_id
        self.institution_ids.choices = institutions
        self.lead_institution_id.choices = [("", "wybierz instytucję wiodącą"), *institutions]

    def values(self) -> dict[str, Any]:
        return {"edition_id": self.edition_id, **super().values()}


class MALForm(CommandForm):
    institution_id = SelectField("Miejsce Aktywności Lokalnej w partnerstwie", validate_choice=False)
    verified = RadioField("Wynik weryfikacji", choices=[("true", "MAL potwierdzony"), ("false", "MAL niepotwierdzony")],
                          validate_choice=False)
    reason = TextAreaField("Powód (wymagany, gdy MAL nie został potwierdzony)", render_kw={"rows": 3, "maxlength": 2000})

    def values(self) -> dict[str, Any]:
        found = super().values()
        if found.get("verified") in ("true", "false"):
            found["verified"] = found["verified"] == "true"  # the radio's text, as the API's JSON boolean
        return found


class WithdrawForm(CommandForm):
    reason = TextAreaField("Powód wycofania", render_kw={"required": True, "rows": 3, "maxlength": 2000})


@bp.route("/editions/<uuid:edition_id>/propose", methods=["GET", "POST"])
def propose(edition_id: uuid.UUID) -> Any:
    """A partnership proposal in an edition: institutions picked by name, the lead, title and amount."""
    found = _edition_or_404(str(edition_id))
    if found is None:
        return _not_found("takiej edycji")
    form = ProposalForm(found["id"], read(_names))
    if request.method == "POST":
        return _propose(form, found)
    return _propose_page(form, found)


@needs(WRITE)
def _propose(form: ProposalForm, found: dict[str, Any]) -> Any:
    partnership_id = str(uuid.uuid4())
    if form.send(PartnershipIn(), lambda body: commands.ProposePartnership(partnership_id, **body)):
        if form.repeated:
            return redirect(url_for(".edition", edition_id=found["id"]))
        flash(f"Złożono wniosek „{form.title.data.strip()}”.", "success")
        return redirect(url_for(".partnership", partnership_id=form.result))
    return _propose_page(form, found), 422


def _propose_page(form: ProposalForm, found: dict[str, Any]) -> str:
    return render_template("applications/propose.html", form=form, edition=found, caps=_caps(found))


@bp.route("/partnerships/<uuid:partnership_id>")
def partnership(partnership_id: uuid.UUID) -> Any:
    """One proposal: its institutions, amount, MAL check; withdraw it or check its MAL."""
    return _partnership_page(str(partnership_id))


def _partnership_page(partnership_id: str, mal_form: MALForm | None = None,
                      withdraw_form: WithdrawForm | None = None) -> Any:
    found = read(queries.partnership, partnership_id)
    if found is None:
        return _not_found("takiego partnerstwa")
    edition = read(queries.edition, found["edition_id"])
    # Names and kinds as the register has them now, MALs as the proposal was judged on (what the check goes by).
    members = read(queries.institution_facts_as_proposed, found["id"], found["institution_ids"])
    institutions = [members[i] for i in found["institution_ids"] if i in members]
    mal_form = mal_form or MALForm(version=found["version"])
    mals = [i for i in institutions if i.is_mal] or institutions
    mal_form.institution_id.choices = [(i.id, i.name) for i in mals]
    return render_template(
        "applications/partnership.html", partnership=found, edition=edition, institutions=institutions,
        mal_form=mal_form, withdraw_form=withdraw_form or WithdrawForm(version=found["version"]),
        statuses=PARTNERSHIP_STATUS, mal_status=MAL_STATUS, kind_names=polish.INSTITUTION_KIND,
        checking=found["mal_status"] == MalStatus.PENDING and found["status"] == PartnershipStatus.PROPOSED,
    )


@bp.route("/partnerships/<uuid:partnership_id>/mal", methods=["POST"])
@needs(WRITE)
def verify_mal(partnership_id: uuid.UUID) -> Any:
    """The MAL check's result: confirmed, or not with a reason."""
    form = MALForm()
    command = lambda body: commands.VerifyMAL(str(partnership_id), **body, expected_version=form.expected_version)  # noqa: E731
    if form.send(MALVerificationIn(), command):
        if not form.repeated:
            flash("Zapisano wynik weryfikacji MAL.", "success")
        return redirect(url_for(".mal_worklist"))
    return _partnership_page(str(partnership_id), mal_form=form), 422


@bp.route("/partnerships/<uuid:partnership_id>/withdraw", methods=["POST"])
@needs(WRITE)
def withdraw(partnership_id: uuid.UUID) -> Any:
    """Withdraws the proposal, with the reason; nothing changes in it afterwards."""
    form = WithdrawForm()
    command = lambda body: commands.WithdrawPartnership(str(partnership_id), **body,  # noqa: E731
                                                        expected_version=form.expected_version)
    if form.send(WithdrawIn(), command):
        if not form.repeated:
            flash("Wniosek został wycofany.", "success")
        return redirect(url_for(".partnership", partnership_id=partnership_id))
    return _partnership_page(str(partnership_id), withdraw_form=form), 422


@bp.route("/mal")
def mal_worklist() -> Any:
    """MAL do weryfikacji: proposals whose Local Activity Centre waits for a check, oldest first."""
    wanted = request.args.get("edycja", "")
    required = [e for e in read(queries.edition_list) if e["mal_required"]]
    wanted = wanted if any(e["id"] == wanted for e in required) else ""
    found = _with_leads(read(queries.mal_worklist, wanted or None))
    return render_template("applications/mal.html", page=Paged(found), editions=required, wanted=wanted)
