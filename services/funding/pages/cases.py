"""The worklist of an edition's cases, and a case with its facts, its history and the forms that decide it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from contracts.vocabulary import CaseStatus
from infra import polish
from infra.eventstore import history
from infra.web.app import read
from infra.web.workspace import Paged, needs, page_error
from infra.web.workspace.forms import CommandForm
from services.funding import commands, queries
from services.funding.pages import ALL, SETTLEMENTS, STATUSES, WRITE, bp, moment
from services.funding.pages.forms import (
    DRAWN_AS,
    GrantForm,
    RejectForm,
    ReportForm,
    RevokeForm,
)
from services.funding.schemas import GrantIn, ReasonIn

MAL_STATUSES = {"pending": "czeka na weryfikację", "verified": "zweryfikowane", "failed": "weryfikacja negatywna"}
HAPPENED = {
    "FundingGranted": "Przyznano dofinansowanie",
    "FundingRejected": "Odmówiono dofinansowania",
    "FundingRevoked": "Cofnięto dofinansowanie",
    "SettlementSubmitted": "Złożono sprawozdanie końcowe",
    "SettlementReturned": "Zwrócono sprawozdanie do poprawy",
    "FundingSettled": "Rozliczono dofinansowanie",
}
FIGURES = (("amount", "{}"), ("spent_amount", "wydano {}"), ("returned_amount", "do zwrotu {}"))
"""The amounts a history entry names, in this order."""


# -- the worklist -------------------------------------------------------------
def _worklist(session: Session, edition_id: str, status: str) -> dict[str, Any]:
    known = queries.funding_editions(session)
    chosen = next((e for e in known if e["id"] == edition_id), None)
    if chosen is None:  # the most recent edition with cases waiting, else the most recent one
        chosen = next((e for e in known if e["undecided"]), known[0] if known else None)
    if chosen is None:
        return {"editions": known, "edition": None, "budget": None, "cases": []}
    wanted = {"settlement": status} if status in SETTLEMENTS else {"status": None if status == ALL else status}
    found = queries.case_list(session, edition_id=chosen["id"], **wanted)
    return {"editions": known, "edition": chosen, "budget": queries.budget(session, chosen["id"]), "cases": found}


@bp.route("/")
def worklist() -> str:
    """Cases of one edition ready to decide (or by decision, or by settlement), with the budget left in view."""
    status = request.args.get("status", CaseStatus.OPEN)
    if status not in STATUSES and status not in SETTLEMENTS and status != ALL:
        status = CaseStatus.OPEN
    found = read(_worklist, request.args.get("edycja", ""), status)
    return render_template("funding/worklist.html", **found, page=Paged(found["cases"]), status=status,
                           statuses=STATUSES, settlements=SETTLEMENTS, all=ALL)


# -- one case -----------------------------------------------------------------
def _case(session: Session, partnership_id: str) -> dict[str, Any] | None:
    found = queries.case(session, partnership_id)
    if found is None:
        return None
    return {"case": found, "history": [_entry(e) for e in history.of(session, "funding", partnership_id)],
            "budget": queries.budget(session, found["edition_id"])}


def _entry(event: dict[str, Any]) -> dict[str, Any]:
    """One step in the case's history, as a sentence: what, how much or why, who and when."""
    data = event["data"]
    what = HAPPENED.get(event["type"], event["type"])
    figures = [label.format(polish.pln(Decimal(str(data[key])))) for key, label in FIGURES if data.get(key) is not None]
    if figures:
        what += ": " + ", ".join(figures)
    if data.get("reason"):
        what += f" – {data['reason']}"
    return {"when": moment(event["time"]), "what": what, "actor": event["actor"]}


def _offer(case: dict[str, Any]) -> Decimal:
    """What the grant form suggests: the request, never more than the cap for the partnership's size."""
    requested: Decimal = case["requested_amount"]
    return min(requested, case["cap"]) if case["cap"] is not None else requested


def case_page(partnership_id: str, **refused: CommandForm) -> Any:
    """The case page; a form just refused is drawn with its errors, every other one afresh at the case's version."""
    found = read(_case, partnership_id)
    if found is None:
        return page_error(404, "Nie ma takiej sprawy", "Nie znaleziono sprawy dofinansowania tego partnerstwa. "
                          "Wybierz sprawę z listy.")
    case = found["case"]
    fresh = {name: form_type(version=case["version"], formdata=None) for form_type, name in DRAWN_AS.items()}
    if "grant" not in refused:
        fresh["grant"] = GrantForm(version=case["version"], formdata=None, data={"amount": polish.pln(_offer(case))[:-3]})
    if case["settlement"] is not None and "report" not in refused:  # a report suggests the whole grant spent
        fresh["report"] = ReportForm(version=case["version"], formdata=None,
                                     data={"spent_amount": polish.pln(case["settlement"]["granted_amount"])[:-3]})
    forms = fresh | refused
    refused_form = next(iter(refused.values()), None)
    return render_template("funding/case.html", **found, **forms, refused=refused_form, offer=_offer(case),
                           statuses=STATUSES, settlements=SETTLEMENTS, mal_statuses=MAL_STATUSES, moment=moment)


@bp.route("/cases/<uuid:partnership_id>")
def case(partnership_id: Any) -> Any:
    """A case: its facts, why it can or cannot be granted, its decisions and settlement, and the forms for them."""
    return case_page(str(partnership_id))


@bp.route("/cases/<uuid:partnership_id>/grant", methods=["POST"])
@needs(WRITE)
def grant(partnership_id: Any) -> Any:
    return decide(str(partnership_id), GrantForm(), GrantIn(), commands.GrantFunding, "Przyznano dofinansowanie partnerstwu")


@bp.route("/cases/<uuid:partnership_id>/reject", methods=["POST"])
@needs(WRITE)
def reject(partnership_id: Any) -> Any:
    return decide(str(partnership_id), RejectForm(), ReasonIn(), commands.RejectFunding,
                  "Odmówiono dofinansowania partnerstwu")


@bp.route("/cases/<uuid:partnership_id>/revoke", methods=["POST"])
@needs(WRITE)
def revoke(partnership_id: Any) -> Any:
    return decide(str(partnership_id), RevokeForm(), ReasonIn(), commands.RevokeFunding,
                  "Cofnięto dofinansowanie partnerstwa")


def decide(partnership_id: str, form: CommandForm, schema: Any, command: Any, what: str, *,
           back_to_case: bool = False) -> Any:
    """Sends the command as the API would (its schema, its command, the page's version); 422 and the page if refused."""
    def make(body: dict[str, Any]) -> object:
        return command(partnership_id=partnership_id, **body, expected_version=form.expected_version)

    if form.send(schema, make):
        return _decided(form, partnership_id, what, back_to_case)
    page = case_page(partnership_id, **{DRAWN_AS[type(form)]: form})
    return page if isinstance(page, Response) else (page, 422)  # a case unknown here keeps its own page


def _decided(form: CommandForm, partnership_id: str, what: str, back_to_case: bool) -> Any:
    """Back to the worklist (or the case), saying what was done (once: a repeated submit says nothing)."""
    decided = read(queries.case, partnership_id)
    if not form.repeated and decided is not None:
        amount = decided["decision"]["amount"] if decided["decision"] and not back_to_case else None
        flash(f"{what} „{decided['title']}”" + (f": {polish.pln(amount)}." if amount is not None else "."), "success")
    if back_to_case:
        return redirect(url_for(".case", partnership_id=partnership_id))
    return redirect(url_for(".worklist", edycja=decided["edition_id"] if decided else None))
