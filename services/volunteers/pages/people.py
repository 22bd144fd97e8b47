"""Finding, registering, opening, correcting (RODO art. 16) and erasing (art. 17) a volunteer."""

from __future__ import annotations

import unicodedata
import uuid
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from infra.web.app import read
from infra.web.auth import principal
from infra.web.workspace import Paged, can, needs
from infra.web.workspace.forms import CommandForm
from services.volunteers import commands, hours_queries, queries
from services.volunteers.domain.hours import APPROVED
from services.volunteers.domain.paperwork import MISSING
from services.volunteers.pages import WRITE, bp, choices, edition_label, not_found, today
from services.volunteers.pages.forms import (
    EraseForm,
    HoursForm,
    JoinForm,
    LeaveForm,
    PaperworkForm,
    RectifyForm,
    VolunteerForm,
    prefixed,
)
from services.volunteers.schemas import VolunteerChangeIn, VolunteerIn

REGISTRATIONS = uuid.UUID("6d1f5f0e-8f4c-4d0a-9a57-3c1e5b2f7a10")
"""Namespace of the ids the register form gives: one per person and form, so a second click finds the first."""


def _plain(text: str) -> str:
    """Lower case without Polish marks, so "wisniewska" finds "Wiśniewska"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _found(session: Session, wanted: str, institution_id: str | None, edition_id: str | None,
           missing: str | None) -> list[dict[str, Any]]:
    found = queries.volunteer_list(session, institution_id=institution_id, edition_id=edition_id, missing=missing,
                                   today=today(), limit=1_000_000)
    if wanted:
        words = _plain(wanted).split()

        def matches(v: dict[str, Any]) -> bool:
            text = _plain(" ".join(v[k] or "" for k in ("first_name", "last_name", "email")))
            return all(word in text for word in words)

        found = [v for v in found if matches(v)]
    return sorted(found, key=lambda v: (v["erased"], _plain(v["last_name"] or ""), _plain(v["first_name"] or "")))


@bp.route("/")
@needs(WRITE)
def home() -> Any:
    """Find volunteers by name or e-mail, by institution and edition, and by the paperwork their memberships miss."""
    wanted, institution, edition, missing = (request.args.get(k, "").strip()
                                             for k in ("szukaj", "instytucja", "edycja", "braki"))
    offered = read(choices)
    institution = institution if any(i["id"] == institution for i in offered["institutions"]) else ""
    edition = edition if any(e["id"] == edition for e in offered["editions"]) else ""
    missing = missing if missing in MISSING else ""
    page = Paged(read(_found, wanted, institution or None, edition or None, missing or None))
    lacking = read(queries.missing_of, [v["id"] for v in page.items], today())
    return render_template("volunteers/list.html", page=page, choices=offered, edition_label=edition_label,
                           lacking=lacking, missing=MISSING,
                           filters={"szukaj": wanted, "instytucja": institution, "edycja": edition, "braki": missing})


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
    return volunteer_page(volunteer_id)


def _person(session: Session, volunteer_id: str) -> dict[str, Any] | None:
    """The volunteer (their reading logged) with their hours, by membership."""
    person = queries.volunteer(session, volunteer_id, today())
    if person is None:
        return None
    entries = hours_queries.of_volunteer(session, volunteer_id) or []
    for membership in person["memberships"]:
        membership["hours"] = [e for e in entries if e["membership_id"] == membership["id"]]
        membership["approved_hours"] = sum((e["hours"] for e in membership["hours"] if e["status"] == APPROVED),
                                           Decimal(0))
    return person


def volunteer_page(volunteer_id: str, status: int = 200, **refused: Any) -> Any:
    """The volunteer's page. A form just refused is drawn with its errors: `join=form`, or `leave`, `paperwork`,
    `hours` as (membership id, form); every other one afresh, at the volunteer's version."""
    if not can(WRITE):
        memberships = read(_memberships_only, volunteer_id)
        if memberships is None:
            return not_found()
        return render_template("volunteers/memberships.html", memberships=memberships), status
    person = read(_person, volunteer_id)
    if person is None:
        return not_found()
    version, day = person["version"], today().isoformat()
    offered = read(choices)
    join = refused.pop("join", None) or JoinForm(formdata=None, version=version, joined_on=day)
    join.institution_id.choices = [("", "– wybierz instytucję –")] + [(i["id"], i["name"]) for i in offered["institutions"]]
    join.edition_id.choices = [("", "– wybierz edycję –")] + [(e["id"], edition_label(e)) for e in offered["editions"]]
    join.partnership_id.choices = [("", "– bez partnerstwa –")] + [(p["id"], p["name"]) for p in offered["partnerships"]]
    forms = {}
    for m in person["memberships"]:
        drawn = {name: form for name, (membership_id, form) in refused.items() if membership_id == m["id"]}
        forms[m["id"]] = {
            "leave": drawn.get("leave") or LeaveForm(formdata=None, prefix=prefixed("m", m["id"]), version=version,
                                                     left_on=day),
            "paperwork": drawn.get("paperwork") or PaperworkForm(
                formdata=None, prefix=prefixed("p", m["id"]), version=version,
                data={"agreement_signed_on": m["agreement_signed_on"].isoformat() if m["agreement_signed_on"] else "",
                      "accident_insurance": m["accident_insurance"], "guardian_consent": m["guardian_consent"]}),
            "hours": drawn.get("hours") or HoursForm(formdata=None, prefix=prefixed("h", m["id"]), version=version,
                                                     month=day[:7]),
        }
    return render_template("volunteers/volunteer.html", person=person, join=join, forms=forms), status


def _memberships_only(session: Session, volunteer_id: str) -> list[dict[str, Any]] | None:
    """Memberships without the person (no personal data is opened): what staff without volunteers:write see."""
    return queries.memberships_of(session, volunteer_id) if queries.exists(session, volunteer_id) else None


@bp.route("/volunteers/<uuid:volunteer_id>/edit", methods=["GET", "POST"])
@needs(WRITE)
def rectify(volunteer_id: str) -> Any:
    """Correcting personal data (RODO art. 16): prefilled, at the version it was read; a stale page is refused."""
    if request.method == "POST":
        return _rectify(volunteer_id, RectifyForm())
    person = read(queries.volunteer, volunteer_id, today())
    if person is None:
        return not_found()
    data = {name: person[name] or "" for name in ("first_name", "last_name", "email", "phone")}
    data["birth_date"] = person["birth_date"].isoformat() if person["birth_date"] else ""
    return render_template("volunteers/rectify.html", person=person,
                           form=RectifyForm(formdata=None, data=data, version=person["version"]))


def _rectify(volunteer_id: str, form: RectifyForm) -> Any:
    if form.send(VolunteerChangeIn(), lambda body: commands.RectifyVolunteer(
            volunteer_id, **body, expected_version=form.expected_version)):
        if not form.repeated:
            unchanged = read(queries.version_of, volunteer_id) == form.expected_version
            flash("Dane osobowe są takie jak zapisane: niczego nie zmieniono." if unchanged
                  else "Poprawiono dane osobowe.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    person = read(queries.volunteer, volunteer_id, today())
    if person is None:
        return not_found()
    return render_template("volunteers/rectify.html", person=person, form=form), 422


@bp.route("/volunteers/<uuid:volunteer_id>/erase", methods=["GET", "POST"])
@needs(WRITE)
def erase(volunteer_id: str) -> Any:
    """Erasure (RODO): a GET only asks; the confirmation's POST destroys the person's key."""
    person = read(queries.volunteer, volunteer_id, today())
    if person is None:
        return not_found()
    form: CommandForm = EraseForm()
    if request.method == "POST" and form.send(ma.Schema(), lambda _body: commands.EraseVolunteer(volunteer_id)):
        if not form.repeated:
            flash("Dane osobowe wolontariusza zostały usunięte.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    status = 422 if request.method == "POST" else 200
    return render_template("volunteers/erase.html", person=person, form=form), status
