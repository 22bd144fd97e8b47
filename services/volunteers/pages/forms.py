"""The volunteers pages' forms: each sends one command, loaded by the API's own schema."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, SelectField, StringField, TextAreaField

from infra.web.workspace.forms import CommandForm, MoneyField


def prefixed(letter: str, some_id: str) -> str:
    """A prefix telling apart one form among its kind on a page (one per membership or hours entry)."""
    return f"{letter}{some_id[:8]}-"


class VolunteerForm(CommandForm):
    first_name = StringField("Imię", render_kw={"required": True, "maxlength": 100, "autocomplete": "off"})
    last_name = StringField("Nazwisko", render_kw={"required": True, "maxlength": 100, "autocomplete": "off"})
    email = StringField("Adres e-mail", render_kw={"required": True, "type": "email", "autocomplete": "off"})
    phone = StringField("Telefon", render_kw={"type": "tel", "autocomplete": "off"})
    birth_date = StringField("Data urodzenia", render_kw={"type": "date", "autocomplete": "off"})


class RectifyForm(VolunteerForm):
    """The person's data prefilled, with the version it was read at; what is sent replaces it."""

    def values(self) -> dict[str, Any]:
        # A cleared name or address is sent, for the schema to refuse, and a cleared phone to remove it: left out,
        # each would mean "keep it as it is", silently.
        kept = ("first_name", "last_name", "email", "phone")
        return {name: (getattr(self, name).data or "").strip() for name in kept} | super().values()


class JoinForm(CommandForm):
    institution_id = SelectField("Instytucja", validate_choice=False, render_kw={"required": True})
    edition_id = SelectField("Edycja", validate_choice=False, render_kw={"required": True})
    partnership_id = SelectField("Inicjatywa partnerstwa (jeśli dotyczy)", validate_choice=False)
    joined_on = StringField("Data dołączenia", render_kw={"type": "date", "required": True})
    agreement_signed_on = StringField("Data podpisania porozumienia (jeśli już jest)", render_kw={"type": "date"})
    accident_insurance = BooleanField("Instytucja ubezpieczyła wolontariusza od NNW")
    guardian_consent = BooleanField("Jest zgoda opiekuna prawnego (dla osoby poniżej 18 lat)")


class LeaveForm(CommandForm):
    left_on = StringField("Data odejścia", render_kw={"type": "date", "required": True})


class PaperworkForm(CommandForm):
    agreement_signed_on = StringField("Data podpisania porozumienia", render_kw={"type": "date"})
    accident_insurance = BooleanField("Ubezpieczenie NNW")
    guardian_consent = BooleanField("Zgoda opiekuna prawnego")


class HoursForm(CommandForm):
    month = StringField("Miesiąc", render_kw={"type": "month", "required": True, "placeholder": "RRRR-MM"})
    hours = MoneyField("Liczba godzin", render_kw={"required": True, "size": 8, "autocomplete": "off"})
    activity = StringField("Czym się zajmował(a) (nieobowiązkowe)", render_kw={"maxlength": 200, "autocomplete": "off"})


class ApproveForm(CommandForm):
    """No fields: the entry in the address is what is approved."""


class DeclineForm(CommandForm):
    reason = TextAreaField("Powód odrzucenia", render_kw={"required": True, "rows": 2, "maxlength": 2000})


class EraseForm(CommandForm):
    """Nothing to fill in: the confirmation page is the question, its button the answer."""
