"""The volunteers service's staff pages: find, register and open a volunteer, memberships, erasure (RODO).

Personal data (names, e-mail, phone) is shown only to staff with volunteers:write, and is opened only by the
API's own reads (queries.volunteer, queries.volunteer_list); others see a volunteer's memberships, never the
person. Each form sends the same command through the same handler as the API (infra.web.workspace.forms).
"""

from __future__ import annotations

import datetime
import unicodedata
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from wtforms import SelectField, StringField

from infra import polish
from infra.web.app import read
from infra.web.auth import principal
from infra.web.workspace import Paged, Pages, can, needs, page_error
from infra.web.workspace.forms import CommandForm
from services.volunteers import commands, queries
from services.volunteers.schemas import LeaveIn, MembershipIn, VolunteerIn

WRITE = "volunteers:write"
WARSAW = ZoneInfo("Europe/Warsaw")

bp = Pages("volunteers_pages", __name__, template_folder="templates")

REGISTRATIONS = uuid.UUID("6d1f5f0e-8f4c-4d0a-9a57-3c1e5b2f7a10")
"""Namespace of the ids the register form gives: one per person and form, so a second click finds the first."""


class VolunteerForm(CommandForm):
    first_name = StringField("Imię", render_kw={"required": True, "maxlength": 100, "autocomplete": "off"})
    last_name = StringField("Nazwisko", render_kw={"required": True, "maxlength": 100, "autocomplete": "off"})
    email = StringField("Adres e-mail", render_kw={"required": True, "type": "email", "autocomplete": "off"})
    phone = StringField("Telefon", render_kw={"type": "tel", "autocomplete": "off"})


class JoinForm(CommandForm):
    institution_id = SelectField("Instytucja", validate_choice=False, render_kw={"required": True})
    edition_id = SelectField("Edycja", validate_choice=False, render_kw={"required": True})
    partnership_id = SelectField("Inicjatywa partnerstwa (jeśli dotyczy)", validate_choice=False)
    joined_on = StringField("Data dołączenia", render_kw={"type": "date", "required": True})


class LeaveForm(CommandForm):
    left_on = StringField("Data odejścia", render_kw={"type": "date", "required": True})


class EraseForm(CommandForm):
    """Nothing to fill in: the confirmation page is the question, its button the answer."""


def _plain(text: str) -> str:
    """Lower case without Polish marks, so "wisniewska" finds "Wiśniewska"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _found(session: Session, wanted: str, institution_id: str | None, edition_id: str | None) -> list[dict[str, Any]]:
    found = queries.volunteer_list(session, institution_id=institution_id, edition_id=edition_id, limit=1_000_000)
    if wanted:
        words = _plain(wanted).split()

        def matches(v: dict[str, Any]) -> bool:
            text = _plain(" ".join(v[k] or "" for k in ("first_name", "last_name", "email")))
            return all(word in text for word in words)

        found = [v for v in found if matches(v)]
    return sorted(found, key=lambda v: (v["erased"], _plain(v["last_name"] or ""), _plain(v["first_name"] or "")))


def _choices(session: Session) -> dict[str, list[dict[str, Any]]]:
    return {"institutions": queries.institution_names(session), "editions": queries.edition_names(session),
            "partnerships": queries.partnership_names(session)}


def _edition_label(edition: dict[str, Any]) -> str:
    return f"{edition['name']} (zamknięta)" if edition["closed"] else edition["name"]


@bp.route("/")
@needs(WRITE)
def home() -> Any:
    """Find volunteers by name or e-mail, and by institution and edition."""
    wanted, institution, edition = (request.args.get(k, "").strip() for k in ("szukaj", "instytucja", "edycja"))
    choices = read(_choices)
    institution = institution if any(i["id"] == institution for i in choices["institutions"]) else ""
    edition = edition if any(e["id"] == edition for e in choices["editions"]) else ""
    found = read(_found, wanted, institution or None, edition or None)
    return render_template("volunteers/list.html", page=Paged(found), choices=choices, edition_label=_edition_label,
                           filters={"szukaj": wanted, "instytucja": institution, "edycja": edition})


@bp.route("/volunteers/new", methods=["GET", "POST"])
@needs(WRITE)
def register() -> Any:
    """Register a volunteer: their personal data is sealed with their own key."""
    form = VolunteerForm()
    if request.method == "POST":
        key = f"{principal().subject}:{form.idempotency_key.data}"
        volunteer_id = str(uuid.uuid5(REGISTRATIONS, key))
        if form.send(VolunteerIn(), lambda body: commands.RegisterVolunteer(volunteer_id, **body)):
            if not form.repeated:
                flash("Zarejestrowano wolontariusza.", "success")
            return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
        holder = read(queries.email_holder, form.email.data or "") if form.email.errors else None
        return render_template("volunteers/register.html", form=form, holder=holder), 422
    return render_template("volunteers/register.html", form=form)


@bp.route("/volunteers/<uuid:volunteer_id>")
def volunteer(volunteer_id: str) -> Any:
    """A volunteer: personal data and forms for volunteers:write; memberships alone for everyone else."""
    return _volunteer_page(volunteer_id)


def _volunteer_page(volunteer_id: str, join: JoinForm | None = None, leave: tuple[str, LeaveForm] | None = None,
                    status: int = 200) -> Any:
    if not can(WRITE):
        memberships = read(_memberships_only, volunteer_id)
        if memberships is None:
            return page_error(404, "Nie ma takiego wolontariusza", "Wróć do listy wolontariuszy i wybierz osobę z niej.")
        return render_template("volunteers/memberships.html", memberships=memberships), status
    person = read(queries.volunteer, volunteer_id)
    if person is None:
        return page_error(404, "Nie ma takiego wolontariusza", "Wróć do listy wolontariuszy i wybierz osobę z niej.")
    choices = read(_choices)
    join = join or JoinForm(formdata=None, version=person["version"], joined_on=datetime.date.today().isoformat())
    join.institution_id.choices = [("", "– wybierz instytucję –")] + [(i["id"], i["name"]) for i in choices["institutions"]]
    join.edition_id.choices = [("", "– wybierz edycję –")] + [(e["id"], _edition_label(e)) for e in choices["editions"]]
    join.partnership_id.choices = [("", "– bez partnerstwa –")] + [(p["id"], p["name"]) for p in choices["partnerships"]]
    refused = dict([leave] if leave else [])
    leaving = {m["id"]: refused.get(m["id"]) or LeaveForm(formdata=None, prefix=_prefix(m["id"]), version=person["version"],
                                                            left_on=datetime.date.today().isoformat())
               for m in person["memberships"] if m["active"]}
    return render_template("volunteers/volunteer.html", person=person, join=join, leaving=leaving), status


def _prefix(membership_id: str) -> str:
    return f"m{membership_id[:8]}-"


def _memberships_only(session: Session, volunteer_id: str) -> list[dict[str, Any]] | None:
    """Memberships without the person (no personal data is opened): what staff without volunteers:write see."""
    return queries.memberships_of(session, volunteer_id) if queries.exists(session, volunteer_id) else None


@bp.route("/volunteers/<uuid:volunteer_id>/join", methods=["POST"])
@needs(WRITE)
def join(volunteer_id: str) -> Any:
    """The volunteer joins an institution in an edition (and, if picked, a partnership's initiative)."""
    form = JoinForm()
    if form.send(MembershipIn(), lambda body: commands.JoinInstitution(
            volunteer_id, str(uuid.uuid4()), **body, expected_version=form.expected_version)):
        if not form.repeated:
            flash("Dodano członkostwo.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    return _volunteer_page(volunteer_id, join=form, status=422)


@bp.route("/volunteers/<uuid:volunteer_id>/memberships/<uuid:membership_id>/leave", methods=["POST"])
@needs(WRITE)
def leave(volunteer_id: str, membership_id: str) -> Any:
    """The volunteer leaves one membership, on the day given."""
    form = LeaveForm(prefix=_prefix(membership_id))
    if form.send(LeaveIn(), lambda body: commands.LeaveInstitution(
            volunteer_id, membership_id, **body, expected_version=form.expected_version)):
        if not form.repeated:
            flash("Zakończono członkostwo.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    return _volunteer_page(volunteer_id, leave=(membership_id, form), status=422)


@bp.route("/volunteers/<uuid:volunteer_id>/erase", methods=["GET", "POST"])
@needs(WRITE)
def erase(volunteer_id: str) -> Any:
    """Erasure (RODO): a GET only asks; the confirmation's POST destroys the person's key."""
    person = read(queries.volunteer, volunteer_id)
    if person is None:
        return page_error(404, "Nie ma takiego wolontariusza", "Wróć do listy wolontariuszy i wybierz osobę z niej.")
    form = EraseForm()
    if request.method == "POST" and form.send(ma.Schema(), lambda _body: commands.EraseVolunteer(volunteer_id)):
        if not form.repeated:
            flash("Dane osobowe wolontariusza zostały usunięte.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    status = 422 if request.method == "POST" else 200
    return render_template("volunteers/erase.html", person=person, form=form), status


@bp.app_template_filter("moment")
def _moment(value: datetime.datetime | None) -> str:
    """A moment the service recorded (UTC) as the day it was in Warsaw."""
    return polish.day(value.astimezone(WARSAW).date()) if value else "–"
