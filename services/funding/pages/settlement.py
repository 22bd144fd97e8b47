"""A grant's settlement from its case page: the final report entered, then accepted or returned for correction."""

from __future__ import annotations

from typing import Any

from infra.web.workspace import needs
from services.funding import commands
from services.funding.pages import WRITE, bp
from services.funding.pages.cases import decide
from services.funding.pages.forms import AcceptForm, ReportForm, ReturnForm
from services.funding.schemas import EmptyIn, ReasonIn, SettlementIn


@bp.route("/cases/<uuid:partnership_id>/settlement", methods=["POST"])
@needs(WRITE)
def report(partnership_id: Any) -> Any:
    return decide(str(partnership_id), ReportForm(), SettlementIn(), commands.SubmitSettlement,
                  "Zapisano sprawozdanie końcowe partnerstwa", back_to_case=True)


@bp.route("/cases/<uuid:partnership_id>/settlement/accept", methods=["POST"])
@needs(WRITE)
def accept(partnership_id: Any) -> Any:
    return decide(str(partnership_id), AcceptForm(), EmptyIn(), commands.AcceptSettlement,
                  "Przyjęto sprawozdanie i rozliczono dofinansowanie partnerstwa", back_to_case=True)


@bp.route("/cases/<uuid:partnership_id>/settlement/return", methods=["POST"])
@needs(WRITE)
def send_back(partnership_id: Any) -> Any:
    return decide(str(partnership_id), ReturnForm(), ReasonIn(), commands.ReturnSettlement,
                  "Zwrócono do poprawy sprawozdanie partnerstwa", back_to_case=True)
