"""The applications service's staff pages: editions, the institution register, partnerships, MAL checks, enrolments.

Each form sends the same command through the same handler as the API (infra.web.workspace.forms).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from wtforms import BooleanField, Form, FormField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.widgets import CheckboxInput, ListWidget

from contracts import vocabulary
from contracts.applications import GrantCap
from contracts.vocabulary import EditionKind, EditionStatus, MalStatus, PartnershipStatus
from infra import polish
from infra.web.app import read
from infra.web.workspace import Paged, Pages, needs, page_error
from infra.web.workspace.forms import CommandForm, MoneyField
from services.applications import commands, queries
from services.applications.domain.editions import ENROLLING
from services.applications.domain.institutions import normalised_name
from services.applications.schemas import (
    CloseIn,
    EditionIn,
    EnrolmentIn,
    InstitutionIn,
    MALVerificationIn,
    PartnershipIn,
    WithdrawIn,
)

WRITE = "applications:write"

bp = Pages("applications_pages", __name__, template_folder="templates")


@bp.context_processor
def _words() -> dict[str, Any]:
    return {"count": polish.count}


KINDS = [(kind, polish.INSTITUTION_KIND[kind]) for kind in vocabulary.INSTITUTION_KINDS]
DISTRICTS = [(district, district) for district in vocabulary.DISTRICTS]
PROGRAMMES = [(programme, polish.PROGRAMMES[programme]) for programme in vocabulary.PROGRAMMES]
ROUNDS = [("", polish.ROUNDS[None]), *((r, polish.ROUNDS[r]) for r in vocabulary.ROUNDS)]
EDITION_KINDS = [(EditionKind.PARTNERSHIP.value, "nabór wniosków partnerstw"),
                 (EditionKind.ENROLMENT.value, "zgłoszenia pojedynczych instytucji")]
EDITION_STATUS = {EditionStatus.OPEN: "otwarta", EditionStatus.CLOSED: "zamknięta"}
PARTNERSHIP_STATUS = {PartnershipStatus.PROPOSED: "złożony", PartnershipStatus.WITHDRAWN: "wycofany"}
MAL_STATUS = {MalStatus.NOT_REQUIRED: "niewymagany", MalStatus.PENDING: "czeka na weryfikację",
              MalStatus.VERIFIED: "potwierdzony", MalStatus.FAILED: "niepotwierdzony"}
CAP_ROWS = 3
"""How many size brackets the edition form offers (rows left blank are not sent)."""


def _number(text: str | None) -> Any:
    """A whole number typed in a text field, as the schema's integer field reads it (anything else it refuses)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


class InstitutionForm(CommandForm):
    name = StringField("Nazwa instytucji", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    kind = SelectField("Rodzaj", choices=KINDS, validate_choice=False)
    district = SelectField("Dzielnica", choices=DISTRICTS, validate_choice=False)
    is_mal = BooleanField("Działa w niej Miejsce Aktywności Lokalnej (MAL)")


class CapRow(Form):
    min_institutions = StringField("Od (liczba instytucji)", render_kw={"inputmode": "numeric", "size": 4})
    max_institutions = StringField("Do (puste: bez górnej granicy)", render_kw={"inputmode": "numeric", "size": 4})
    cap = MoneyField("Limit dofinansowania (zł)", render_kw={"size": 12})


class EditionForm(CommandForm):
    programme = SelectField("Program", choices=PROGRAMMES, validate_choice=False)
    name = StringField("Nazwa edycji", render_kw={"required": True, "maxlength": 200, "autocomplete": "off"})
    year = StringField("Rok", render_kw={"required": True, "inputmode": "numeric", "size": 6})
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
            low, high, cap = (row.form[name].data or "" for name in ("min_institutions", "max_institutions", "cap"))
            if not (low.strip() or high.strip() or cap.strip()):
                continue
            caps.append({"min_institutions": _number(low), "max_institutions": _number(high) if high.strip() else None,
                         "cap": cap})
            self.rows.append(index)
        found["grant_caps"] = caps
        if isinstance(found.get("year"), str):
            found["year"] = _number(found["year"])
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


class CloseForm(CommandForm):
    pass


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


class WithdrawForm(CommandForm):
    reason = TextAreaField("Powód wycofania", render_kw={"required": True, "rows": 3, "maxlength": 2000})


class EnrolForm(CommandForm):
    institution_id = SelectField("Instytucja", validate_choice=False)


def _institutions(session: Any, name: str, district: str | None, kind: str | None) -> list[dict[str, Any]]:
    found = queries.institution_list(session, district=district or None, kind=kind or None)
    wanted = normalised_name(name) if name else ""
    return [i for i in found if wanted in i["name_key"]] if wanted else found


def _names(session: Session, kinds: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Institutions as a form offers them: by name, with the district that tells namesakes apart."""
    found = sorted(queries.institution_list(session), key=lambda i: (i["name_key"], i["district"]))
    return [(i["id"], f"{i['name']} ({i['district']})") for i in found if not kinds or i["kind"] in kinds]


def _with_leads(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Partnerships with their lead institution's name (lead_name)."""
    names = read(queries.institution_facts, sorted({p["lead_institution_id"] for p in found}))
    for p in found:
        p["lead_name"] = names[p["lead_institution_id"]].name if p["lead_institution_id"] in names else "–"
    return found


def _caps(edition: dict[str, Any]) -> list[tuple[str, Any]]:
    caps = [GrantCap(**cap | {"cap": Decimal(cap["cap"])}) for cap in edition["grant_caps"]]
    return [(polish.bracket_label(cap), cap.cap) for cap in sorted(caps, key=lambda c: c.min_institutions)]


def _edition_or_404(edition_id: str) -> dict[str, Any] | None:
    return read(queries.edition, edition_id)


def _not_found(what: str) -> Any:
    return page_error(404, "Nie znaleziono", f"Nie ma {what}. Wróć do listy i wybierz z niej.")


# -- the start page ------------------------------------------------------------------------------


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
    if enrolling:
        listed = read(queries.enrolment_list, edition_id)
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
        kind_names=polish.INSTITUTION_KIND,
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


# -- partnerships --------------------------------------------------------------------------------


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
    members = read(queries.institution_facts, found["institution_ids"])
    institutions = [members[i] for i in found["institution_ids"] if i in members]
    mal_form = mal_form or MALForm(version=found["version"])
    mals = [i for i in institutions if i.is_mal or i.kind == vocabulary.InstitutionKind.MAL] or institutions
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


# -- the institution register --------------------------------------------------------------------


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
