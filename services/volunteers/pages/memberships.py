"""A volunteer's memberships from their page: joining (with the paperwork at hand), leaving, mending the paperwork."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, url_for

from infra.web.app import read
from infra.web.workspace import needs
from services.volunteers import commands, queries
from services.volunteers.pages import WRITE, bp
from services.volunteers.pages.forms import JoinForm, LeaveForm, PaperworkForm, prefixed
from services.volunteers.pages.people import volunteer_page
from services.volunteers.schemas import LeaveIn, MembershipIn, PaperworkIn


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
    return volunteer_page(volunteer_id, status=422, join=form)


@bp.route("/volunteers/<uuid:volunteer_id>/memberships/<uuid:membership_id>/leave", methods=["POST"])
@needs(WRITE)
def leave(volunteer_id: str, membership_id: str) -> Any:
    """The volunteer leaves one membership, on the day given."""
    form = LeaveForm(prefix=prefixed("m", membership_id))
    if form.send(LeaveIn(), lambda body: commands.LeaveInstitution(
            volunteer_id, membership_id, **body, expected_version=form.expected_version)):
        if not form.repeated:
            flash("Zakończono członkostwo.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id))
    return volunteer_page(volunteer_id, status=422, leave=(membership_id, form))


@bp.route("/volunteers/<uuid:volunteer_id>/memberships/<uuid:membership_id>/paperwork", methods=["POST"])
@needs(WRITE)
def paperwork(volunteer_id: str, membership_id: str) -> Any:
    """Mends a membership's paperwork: the form sends it whole, as the page showed it with the changes made."""
    form = PaperworkForm(prefix=prefixed("p", membership_id))
    if form.send(PaperworkIn(), lambda body: commands.RecordPaperwork(
            volunteer_id, membership_id, **body, expected_version=form.expected_version)):
        if not form.repeated:
            unchanged = read(queries.version_of, volunteer_id) == form.expected_version
            flash("Dokumenty członkostwa są takie jak zapisane: niczego nie zmieniono." if unchanged
                  else "Zapisano dokumenty członkostwa.", "success")
        return redirect(url_for(".volunteer", volunteer_id=volunteer_id, _anchor=f"m-{membership_id}"))
    return volunteer_page(volunteer_id, status=422, paperwork=(membership_id, form))
