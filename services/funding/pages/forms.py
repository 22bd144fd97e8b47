"""The case page's forms: each sends one command, loaded by the API's own schema."""

from __future__ import annotations

from wtforms import StringField, TextAreaField

from infra.web.workspace.forms import CommandForm, CountField, MoneyField

REASON = {"required": True, "rows": 3, "maxlength": 2000}


class GrantForm(CommandForm):
    amount = MoneyField("Kwota dofinansowania (zł)", render_kw={"required": True, "autocomplete": "off"})


class RejectForm(CommandForm):
    reason = TextAreaField("Powód odmowy", render_kw=REASON)


class RevokeForm(CommandForm):
    reason = TextAreaField("Powód cofnięcia", id="revoke-reason", render_kw=REASON)  # beside other forms' reasons


class ReportForm(CommandForm):
    spent_amount = MoneyField("Wydana kwota (zł)", render_kw={"required": True, "autocomplete": "off"})
    volunteers_engaged = CountField("Liczba zaangażowanych wolontariuszy", render_kw={"required": True, "size": 6})
    hours = MoneyField("Łączna liczba godzin wolontariatu", render_kw={"required": True, "size": 8})
    submitted_on = StringField("Data złożenia sprawozdania", render_kw={"type": "date", "required": True})


class AcceptForm(CommandForm):
    """No fields: the report awaiting a decision and the page's version say what is accepted."""


class ReturnForm(CommandForm):
    reason = TextAreaField("Powód zwrotu (co poprawić)", id="return-reason", render_kw=REASON)


DRAWN_AS = {GrantForm: "grant", RejectForm: "reject", RevokeForm: "revoke", ReportForm: "report", AcceptForm: "accept",
            ReturnForm: "send_back"}
"""Which of the case page's forms a sent form is, when the page is drawn again with its refusal."""
