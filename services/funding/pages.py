"""The funding service's staff pages: the worklist of cases ready to decide, and a case with its decision forms.

Each form sends the same command through the same handler as the API (infra.web.workspace.forms): the cap, the
request and the edition's budget are the domain's rules, and their refusals show at the amount field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session
from wtforms import TextAreaField

from contracts.vocabulary import CaseStatus
from infra import polish
from infra.config import Settings
from infra.eventstore import history
from infra.web.app import read
from infra.web.workspace import Paged, Pages, needs, page_error
from infra.web.workspace.forms import CommandForm, MoneyField
from services.funding import commands, queries
from services.funding.schemas import GrantIn, ReasonIn

WRITE = "funding:write"
WARSAW = ZoneInfo("Europe/Warsaw")

bp = Pages("funding_pages", __name__, template_folder="templates")

STATUSES = {
    CaseStatus.OPEN: "do decyzji",
    CaseStatus.GRANTED: "przyznane",
    CaseStatus.REJECTED: "odrzucone",
    CaseStatus.WITHDRAWN: "wycofane",
    CaseStatus.REVOKED: "cofnięte",
}
"""The case statuses the API filters by, as the worklist names them."""
ALL = "wszystkie"

MAL_STATUSES = {"pending": "czeka na weryfikację", "verified": "zweryfikowane", "failed": "weryfikacja negatywna"}
HAPPENED = {
    "FundingGranted": "Przyznano dofinansowanie",
    "FundingRejected": "Odmówiono dofinansowania",
    "FundingRevoked": "Cofnięto dofinansowanie",
}


class GrantForm(CommandForm):
    amount = MoneyField("Kwota dofinansowania (zł)", render_kw={"required": True, "autocomplete": "off"})


class RejectForm(CommandForm):
    reason = TextAreaField("Powód odmowy", render_kw={"required": True, "rows": 3, "maxlength": 2000})


class RevokeForm(CommandForm):
    reason = TextAreaField("Powód cofnięcia", render_kw={"required": True, "rows": 3, "maxlength": 2000})


DRAWN_AS = {GrantForm: "grant", RejectForm: "reject", RevokeForm: "revoke"}
"""Which of the case page's forms a sent form is, when the page is drawn again with its refusal."""


@bp.context_processor
def _links() -> dict[str, Any]:
    """Where a case's partnership lives: the applications service, at its configured base URL."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    return {"applications_url": settings.service_urls["applications"].rstrip("/")}


# -- the worklist -------------------------------------------------------------
def _worklist(session: Session, edition_id: str, status: str) -> dict[str, Any]:
    known = queries.funding_editions(session)
    chosen = next((e for e in known if e["id"] == edition_id), None)
    if chosen is None:  # the most recent edition with cases waiting, else the most recent one
        chosen = next((e for e in known if e["undecided"]), known[0] if known else None)
    if chosen is None:
        return {"editions": known, "edition": None, "budget": None, "cases": []}
    found = queries.case_list(session, edition_id=chosen["id"], status=None if status == ALL else status)
    return {"editions": known, "edition": chosen, "budget": queries.budget(session, chosen["id"]), "cases": found}


@bp.route("/")
def worklist() -> str:
    """Cases of one edition ready to decide (or granted, rejected, withdrawn), with the budget left in view."""
    status = request.args.get("status", CaseStatus.OPEN)
    if status not in STATUSES and status != ALL:
        status = CaseStatus.OPEN
    found = read(_worklist, request.args.get("edycja", ""), status)
    return render_template("funding/worklist.html", **found, page=Paged(found["cases"]), status=status,
                           statuses=STATUSES, all=ALL)


# -- one case -----------------------------------------------------------------
def _case(session: Session, partnership_id: str) -> dict[str, Any] | None:
    found = queries.case(session, partnership_id)
    if found is None:
        return None
    return {"case": found, "history": [_entry(e) for e in history.of(session, "funding", partnership_id)],
            "budget": queries.budget(session, found["edition_id"])}


def _entry(event: dict[str, Any]) -> dict[str, Any]:
    """One decision in the case's history, as a sentence: what, how much or why, who and when."""
    data = event["data"]
    what = HAPPENED.get(event["type"], event["type"])
    if data.get("amount") is not None:
        what += f": {polish.pln(Decimal(str(data['amount'])))}"
    if data.get("reason"):
        what += f" – {data['reason']}"
    return {"when": _moment(event["time"]), "what": what, "actor": event["actor"]}


def _moment(value: datetime.datetime | None) -> str:
    """A time the way staff read it: 01.10.2021, 14:05 (Warsaw time)."""
    return value.astimezone(WARSAW).strftime("%d.%m.%Y, %H:%M") if value else "–"


def _offer(case: dict[str, Any]) -> Decimal:
    """What the grant form suggests: the request, never more than the cap for the partnership's size."""
    requested: Decimal = case["requested_amount"]
    return min(requested, case["cap"]) if case["cap"] is not None else requested


def _case_page(partnership_id: str, grant: GrantForm | None = None, reject: RejectForm | None = None,
               revoke: RevokeForm | None = None) -> Any:
    found = read(_case, partnership_id)
    if found is None:
        return page_error(404, "Nie ma takiej sprawy", "Nie znaleziono sprawy dofinansowania tego partnerstwa. "
                          "Wybierz sprawę z listy.")
    case = found["case"]
    version = case["version"]
    refused = grant or reject or revoke  # the form just sent, if it was refused
    if grant is None:
        grant = GrantForm(version=version, formdata=None, data={"amount": polish.pln(_offer(case))[:-3]})
    return render_template("funding/case.html", **found, grant=grant, reject=reject or RejectForm(version=version, formdata=None),
                           revoke=revoke or RevokeForm(version=version, formdata=None),
                           refused=refused, offer=_offer(case), statuses=STATUSES, mal_statuses=MAL_STATUSES, moment=_moment)


@bp.route("/cases/<uuid:partnership_id>")
def case(partnership_id: Any) -> Any:
    """A case: its facts, why it can or cannot be granted, its decisions; grant or reject it."""
    return _case_page(str(partnership_id))


@bp.route("/cases/<uuid:partnership_id>/grant", methods=["POST"])
@needs(WRITE)
def grant(partnership_id: Any) -> Any:
    return _decide(str(partnership_id), GrantForm(), GrantIn(), commands.GrantFunding,
                   "Przyznano dofinansowanie partnerstwu")


@bp.route("/cases/<uuid:partnership_id>/reject", methods=["POST"])
@needs(WRITE)
def reject(partnership_id: Any) -> Any:
    return _decide(str(partnership_id), RejectForm(), ReasonIn(), commands.RejectFunding,
                   "Odmówiono dofinansowania partnerstwu")


@bp.route("/cases/<uuid:partnership_id>/revoke", methods=["POST"])
@needs(WRITE)
def revoke(partnership_id: Any) -> Any:
    return _decide(str(partnership_id), RevokeForm(), ReasonIn(), commands.RevokeFunding,
                   "Cofnięto dofinansowanie partnerstwa")


def _decide(partnership_id: str, form: CommandForm, schema: Any, command: Any, what: str) -> Any:
    """Sends the decision as the API would (its schema, its command, the page's version); 422 and the page if refused."""
    if form.send(schema, lambda body: command(partnership_id, **body, expected_version=form.expected_version)):
        return _decided(form, partnership_id, what)
    page = _case_page(partnership_id, **{DRAWN_AS[type(form)]: form})
    return page if isinstance(page, Response) else (page, 422)  # a case unknown here keeps its own page


def _decided(form: CommandForm, partnership_id: str, what: str) -> Any:
    """Back to the worklist of the case's edition, saying what was decided (once: a repeated submit says nothing)."""
    decided = read(queries.case, partnership_id)
    if not form.repeated and decided is not None:
        amount = decided["decision"]["amount"] if decided["decision"] else None
        flash(f"{what} „{decided['title']}”" + (f": {polish.pln(amount)}." if amount is not None else "."), "success")
    return redirect(url_for(".worklist", edycja=decided["edition_id"] if decided else None))
