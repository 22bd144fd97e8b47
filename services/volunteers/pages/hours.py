"""Hours: recorded for a month from the volunteer's page; approved or declined (with a reason) from the worklist."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from infra import polish
from infra.web.app import read
from infra.web.workspace import Paged, needs
from infra.web.workspace.forms import CommandForm
from services.volunteers import commands, hours_queries, queries
from services.volunteers.domain.hours import month_named
from services.volunteers.pages import WRITE, bp, choices, edition_label
from services.volunteers.pages.forms import ApproveForm, DeclineForm, HoursForm, prefixed
from services.volunteers.pages.people import volunteer_page
from services.volunteers.schemas import EmptyIn, HoursIn, ReasonIn


@bp.route("/volunteers/<uuid:volunteer_id>/memberships/<uuid:membership_id>/hours", methods=["POST"])
@needs(WRITE)
def record_hours(volunteer_id: str, membership_id: str) -> Any:
    """A month's hours of one membership, to be approved on the worklist."""
    form = HoursForm(prefix=prefixed("h", membership_id))
    if form.send(HoursIn(), lambda body: commands.SubmitHours(
            volunteer_id, membership_id, str(uuid.uuid4()), **body, expected_version=form.expected_version)):
        if not form.repeated:
            flash(f"Wpisano godziny za {month_named(form.month.data.strip())}; czekają na zatwierdzenie.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id, _anchor=f"m-{membership_id}"))
    return volunteer_page(volunteer_id, status=422, hours=(membership_id, form))


# -- the worklist ----------------------------------------------------------------
def _worklist(session: Session, edition_id: str, institution_id: str) -> dict[str, Any]:
    offered = choices(session)
    edition_id = edition_id if any(e["id"] == edition_id for e in offered["editions"]) else ""
    institution_id = institution_id if any(i["id"] == institution_id for i in offered["institutions"]) else ""
    entries = hours_queries.to_decide(session, edition_id=edition_id or None, institution_id=institution_id or None)
    return {"choices": offered, "entries": entries, "filters": {"edycja": edition_id, "instytucja": institution_id}}


def worklist_page(status: int = 200, refused: tuple[str, CommandForm] | None = None) -> Any:
    """Hours waiting for a decision, oldest first; a form just refused is drawn with its errors.

    Only the people on the page shown are named (their personal data opened, and its reading logged)."""
    found = read(_worklist, request.args.get("edycja", ""), request.args.get("instytucja", ""))
    page = Paged(found["entries"])
    people = read(queries.volunteers_by_id, list(dict.fromkeys(e["volunteer_id"] for e in page.items)))
    for entry in page.items:
        entry["volunteer"] = people[entry["volunteer_id"]]
    forms = {}
    for entry in page.items:
        forms[entry["id"]] = {"approve": ApproveForm(formdata=None, prefix=prefixed("a", entry["id"])),
                              "decline": DeclineForm(formdata=None, prefix=prefixed("d", entry["id"]))}
    if refused is not None and refused[0] in forms:
        entry_id, form = refused
        forms[entry_id]["decline" if isinstance(form, DeclineForm) else "approve"] = form
    return render_template("volunteers/hours.html", page=page, forms=forms, choices=found["choices"],
                           filters=found["filters"], edition_label=edition_label, refused=refused), status


@bp.route("/hours")
@needs(WRITE)
def worklist() -> Any:
    return worklist_page()


@bp.route("/volunteers/<uuid:volunteer_id>/hours/<uuid:entry_id>/approve", methods=["POST"])
@needs(WRITE)
def approve(volunteer_id: str, entry_id: str) -> Any:
    form = ApproveForm(prefix=prefixed("a", entry_id))
    return _decide(form, EmptyIn(), lambda _body: commands.ApproveHours(volunteer_id, entry_id), entry_id, "Zatwierdzono")


@bp.route("/volunteers/<uuid:volunteer_id>/hours/<uuid:entry_id>/decline", methods=["POST"])
@needs(WRITE)
def decline(volunteer_id: str, entry_id: str) -> Any:
    form = DeclineForm(prefix=prefixed("d", entry_id))
    return _decide(form, ReasonIn(), lambda body: commands.DeclineHours(volunteer_id, entry_id, **body), entry_id,
                   "Odrzucono")


def _decide(form: CommandForm, schema: Any, command: Any, entry_id: str, what: str) -> Any:
    """A decision is about the entry: it takes no version (another entry of the same volunteer decided meanwhile
    changes nothing here), and an entry decided meanwhile is refused as decided once."""
    if form.send(schema, command):
        entry = read(hours_queries.entry, entry_id)
        if not form.repeated and entry is not None:
            flash(f"{what} {polish.decimal(entry['hours'])} h za {entry['month_name']} ({entry['institution_name'] or 'instytucja'}).",
                  "success")
        kept: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("edycja", "instytucja")}
        return redirect(url_for(".worklist", **kept))
    return worklist_page(422, (entry_id, form))
