"""Request and response bodies of the funding API."""

from decimal import Decimal

from marshmallow import fields

from contracts import vocabulary
from infra.web import fields as f


def Money(**kwargs) -> fields.Decimal:  # noqa: N802 - reads like a field class
    """PLN as a string with two places ("6000.00")."""
    return fields.Decimal(places=2, as_string=True, **kwargs)


class CaseQuery(f.Schema):
    edition_id = f.ident(required=False)
    status = f.choice(vocabulary.CASE_STATUSES, required=False)
    eligible = f.boolean(required=False, strict=False)
    settlement = f.choice(vocabulary.SETTLEMENT_STATUSES, required=False, metadata={
        "description": "przyznane i niecofnięte dofinansowania według rozliczenia: due (czeka na sprawozdanie), "
        "submitted, returned albo settled"})


class DecisionOut(f.Schema):
    outcome = fields.String(metadata={"description": "granted albo rejected"})
    amount = Money(allow_none=True, metadata={"description": "przyznana kwota (PLN)"})
    cap = Money(allow_none=True, metadata={"description": "limit obowiązujący w chwili decyzji"})
    reason = fields.String(allow_none=True, metadata={"description": "powód odmowy"})
    decided_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)


class SettlementOut(f.Schema):
    status = fields.String(metadata={"description": "due (czeka na sprawozdanie), submitted, returned albo settled"})
    granted_amount = Money()
    spent_amount = Money(allow_none=True, metadata={"description": "wydano (po przyjęciu sprawozdania)"})
    returned_amount = Money(allow_none=True, metadata={"description": "do zwrotu: przyznano minus wydano"})
    settled_at = fields.DateTime(allow_none=True)


class ReportOut(f.Schema):
    spent_amount = Money()
    volunteers_engaged = fields.Integer()
    hours = fields.Decimal(places=2, as_string=True)
    submitted_on = fields.Date()
    submitted_at = fields.DateTime()
    outcome = fields.String(allow_none=True, metadata={"description": "null (czeka), returned albo settled"})
    reason = fields.String(allow_none=True, metadata={"description": "powód zwrotu"})
    decided_at = fields.DateTime(allow_none=True)


class CaseOut(f.Schema):
    id = fields.String(metadata={"description": "identyfikator partnerstwa"})
    partnership_id = fields.String()
    edition_id = fields.String()
    edition_name = fields.String(allow_none=True)
    edition_closed = fields.Boolean(allow_none=True)
    title = fields.String()
    lead_institution_id = fields.String()
    institution_ids = fields.List(fields.String())
    size = fields.Integer(metadata={"description": "liczba instytucji w partnerstwie"})
    requested_amount = Money()
    cap = Money(allow_none=True, metadata={"description": "limit dla przedziału wielkości partnerstwa; null, gdy nieznany"})
    bracket = fields.String(allow_none=True, metadata={"description": "przedział wielkości, np. 2–3 instytucji"})
    budget_remaining = Money(allow_none=True, metadata={"description": "pozostały budżet edycji; null, gdy edycja go nie ma"})
    mal_required = fields.Boolean(allow_none=True)
    mal_status = fields.String(metadata={"description": "pending, verified albo failed"})
    mal_reason = fields.String(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    revoked_reason = fields.String(allow_none=True, metadata={"description": "dlaczego cofnięto przyznane dofinansowanie"})
    revoked_at = fields.DateTime(allow_none=True)
    status = fields.String(metadata={"description": "open, granted, rejected, withdrawn albo revoked"})
    eligible = fields.Boolean(metadata={"description": "czy można teraz przyznać dofinansowanie"})
    reasons = fields.List(fields.String(), metadata={"description": "dlaczego nie można (zdania dla pracownika)"})
    reason_codes = fields.List(fields.String(), metadata={"description": "te same powody jako kody"})
    decision = fields.Nested(DecisionOut, allow_none=True)
    settlement = fields.Nested(SettlementOut, allow_none=True, metadata={
        "description": "rozliczenie przyznanego dofinansowania; null, gdy nie przyznano albo cofnięto"})
    reports = fields.List(fields.Nested(ReportOut), metadata={"description": "sprawozdania końcowe, od najstarszego"})
    version = fields.Integer()
    proposed_at = fields.DateTime()
    updated_at = fields.DateTime()



class SettlementIn(f.Schema):
    spent_amount = f.money(minimum=Decimal(0), metadata={"description": "wydana kwota (PLN), najwyżej przyznana"})
    volunteers_engaged = f.integer(minimum=0, maximum=100000, metadata={"description": "liczba zaangażowanych wolontariuszy"})
    hours = f.hours()
    submitted_on = f.date(metadata={"description": "data złożenia sprawozdania"})


class GrantIn(f.Schema):
    amount = f.money()


class ReasonIn(f.Schema):
    """A refusal, a revocation or a returned report: the reason, in staff's words."""

    reason = f.text(max_length=2000)


class EmptyIn(f.Schema):
    """No fields: the case and its version say it all (an unknown field is still refused by name)."""


class BudgetOut(f.Schema):
    edition_id = fields.String()
    name = fields.String()
    budget = Money(allow_none=True, metadata={"description": "null: edycja bez budżetu"})
    committed = Money(metadata={"description": "suma przyznanych kwot"})
    grants = fields.Integer(metadata={"description": "liczba przyznanych dofinansowań"})
    remaining = Money(allow_none=True)
    closed = fields.Boolean()
