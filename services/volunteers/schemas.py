"""Request and response bodies of the volunteers API."""

import datetime

from marshmallow import fields, validate

from infra.web import fields as f
from infra.web.history import HistoryEntry
from services.volunteers import access, export
from services.volunteers.domain import paperwork
from services.volunteers.domain.hours import STATUSES

PHONE_HELP = "Podaj numer telefonu (cyfry, spacje, myślniki, opcjonalnie + na początku), np. +48 600 123 456."


def phone(*, clearable=False, **kwargs):
    """A phone number; `clearable`: "" too (a correction that removes the number)."""
    pattern = r"^\s*\+?[0-9][0-9 ()\-]{4,}[0-9]\s*$"
    return fields.String(
        required=False,
        allow_none=not clearable,
        validate=[
            validate.Length(max=30, error="Numer telefonu może mieć najwyżej {max} znaków."),
            validate.Regexp(f"^$|{pattern}" if clearable else pattern, error=PHONE_HELP),
        ],
        error_messages=f.REQUIRED | {"invalid": PHONE_HELP},
        **kwargs,
    )


def birth_date():
    """A birth date: from 1900 on (the programme's dates start in 2000, its volunteers do not)."""
    return f.Day(
        required=False,
        validate=validate.Range(min=datetime.date(1900, 1, 1), max=f.ERA[1],
                                error="Data urodzenia musi przypadać między {min} a {max}."),
        error_messages=f.REQUIRED | {"invalid": "Oczekiwano daty w formacie RRRR-MM-DD."},
        metadata={"description": "dane osobowe (szyfrowane); osoba poniżej 18 lat dołącza za zgodą opiekuna"},
    )


MONTH_HELP = "Podaj miesiąc w postaci RRRR-MM, np. 2021-10."


def month():
    """A calendar month, strictly "YYYY-MM", in the programme's years (2000–2100)."""
    return fields.String(
        required=True,
        validate=validate.Regexp(r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", error=MONTH_HELP),
        error_messages=f.REQUIRED | {"invalid": MONTH_HELP},
        metadata={"example": "2021-10", "description": "miesiąc, RRRR-MM"},
    )


class VolunteerIn(f.Schema):
    first_name = f.text(max_length=100)
    last_name = f.text(max_length=100)
    email = f.email()
    phone = phone(load_default=None)
    birth_date = birth_date()


class VolunteerChangeIn(VolunteerIn):
    """A correction takes the personal fields, each optional: one left out stays as it is; a phone "" is removed."""

    phone = phone(clearable=True, metadata={"description": "\"\" usuwa numer"})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, partial=True, **kwargs)


class PaperworkIn(f.Schema):
    agreement_signed_on = f.date(required=False, metadata={
        "description": "dzień podpisania pisemnego porozumienia (wymaganego przy wolontariacie dłuższym niż 30 dni)"})
    accident_insurance = f.boolean(required=False, metadata={
        "description": "ubezpieczenie NNW (wymagane przy wolontariacie do 30 dni)"})
    guardian_consent = f.boolean(required=False, metadata={
        "description": "zgoda opiekuna prawnego (wymagana, gdy wolontariusz nie ma ukończonych 18 lat)"})


class MembershipIn(PaperworkIn):
    institution_id = f.ident()
    edition_id = f.ident()
    partnership_id = f.ident(required=False, allow_none=True, load_default=None)
    joined_on = f.date()


class LeaveIn(f.Schema):
    left_on = f.date()


class HoursIn(f.Schema):
    month = month()
    hours = f.hours(metadata={"description": "więcej niż 0, najwyżej tyle, ile godzin ma miesiąc"})
    activity = f.text(required=False, max_length=200, metadata={"description": "czym wolontariusz się zajmował"})


class ReasonIn(f.Schema):
    reason = f.text(max_length=2000)


class EmptyIn(f.Schema):
    """No fields: the entry in the path is what is decided."""


class MembershipOut(f.Schema):
    id = fields.String()
    volunteer_id = fields.String()
    institution_id = fields.String()
    institution_name = fields.String(allow_none=True)
    edition_id = fields.String()
    edition_name = fields.String(allow_none=True)
    partnership_id = fields.String(allow_none=True)
    joined_on = fields.Date()
    left_on = fields.Date(allow_none=True)
    active = fields.Boolean(metadata={"description": "true, dopóki członkostwo się nie zakończyło"})


class MissingOut(f.Schema):
    code = fields.String(metadata={"description": ", ".join(paperwork.MISSING)})
    message = fields.String(metadata={"description": "czego brakuje i dlaczego (po polsku)"})


class MembershipInFullOut(MembershipOut):
    """A membership with its paperwork and what is missing of it (volunteers:write)."""

    agreement_signed_on = fields.Date(allow_none=True)
    accident_insurance = fields.Boolean()
    guardian_consent = fields.Boolean()
    minor = fields.Boolean(metadata={"description": "w dniu dołączenia wolontariusz nie miał ukończonych 18 lat"})
    compliance = fields.List(fields.Nested(MissingOut), metadata={
        "description": "czego wymaganego prawem brakuje dzisiaj (pusta lista: niczego)"})


class HoursOut(f.Schema):
    id = fields.String()
    volunteer_id = fields.String()
    membership_id = fields.String()
    institution_id = fields.String()
    institution_name = fields.String(allow_none=True)
    edition_id = fields.String()
    edition_name = fields.String(allow_none=True)
    month = fields.String(metadata={"example": "2021-10"})
    hours = fields.Decimal(as_string=True, places=2)
    activity = fields.String(allow_none=True)
    status = fields.String(metadata={"description": ", ".join(STATUSES)})
    reason = fields.String(allow_none=True, metadata={"description": "powód odrzucenia"})
    submitted_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class VolunteerOut(f.Schema):
    id = fields.String()
    first_name = fields.String(allow_none=True, metadata={"description": "null po usunięciu danych (RODO)"})
    last_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    erased = fields.Boolean(metadata={"description": "true: dane osobowe usunięto na żądanie osoby"})
    version = fields.Integer(metadata={"description": "wersja (ETag), do nagłówka If-Match przy zmianach"})
    registered_at = fields.DateTime()
    erased_at = fields.DateTime(allow_none=True)
    memberships = fields.List(fields.Nested(MembershipInFullOut))


class VolunteerSummaryOut(VolunteerOut):
    class Meta:
        exclude = ("memberships",)


class VolunteerQuery(f.Schema):
    institution_id = f.ident(required=False)
    edition_id = f.ident(required=False)
    active = f.boolean(required=False, strict=False, metadata={
        "description": "true: z członkostwem trwającym (w podanej instytucji i edycji, jeśli podano); "
                       "false: z członkostwami, z których żadne już nie trwa"})
    missing = f.choice(tuple(paperwork.MISSING), required=False, metadata={
        "description": "z członkostwem (w podanej instytucji i edycji, jeśli podano), któremu dziś tego brakuje: "
                       + "; ".join(f"{code}: {label}" for code, label in paperwork.MISSING.items())})
    limit = f.integer(required=False, load_default=100, minimum=1, maximum=1000, strict=False)
    offset = f.integer(required=False, load_default=0, minimum=0, maximum=1_000_000, strict=False)


class AccessQuery(f.Schema):
    volunteer_id = f.ident(required=False)


class AccessOut(f.Schema):
    volunteer_id = fields.String()
    actor = fields.String(metadata={"description": "kto (identyfikator z tokenu lub logowania)"})
    action = fields.String(metadata={"description": ", ".join(access.ACTIONS)})
    at = fields.DateTime()


class CertificateQuery(f.Schema):
    membership_id = f.ident(metadata={"description": "członkostwo, którego dotyczy zaświadczenie"})


class ExportedMembershipOut(MembershipInFullOut):
    joined_at = fields.DateTime()
    left_at = fields.DateTime(allow_none=True)
    long_from = fields.Date(metadata={"description": "pierwszy dzień, w którym wolontariat trwa dłużej niż 30 dni"})


class ExportedEventOut(HistoryEntry):
    changes = fields.Dict(allow_none=True, metadata={
        "description": "przy poprawce danych (VolunteerRectified): pole → {from, to}"})


class ExportOut(f.Schema):
    """Everything held about the person (RODO art. 15 and 20)."""

    format = fields.String(metadata={"example": export.FORMAT})
    exported_at = fields.DateTime()
    volunteer = fields.Nested(VolunteerSummaryOut)
    memberships = fields.List(fields.Nested(ExportedMembershipOut))
    hours = fields.List(fields.Nested(HoursOut), metadata={"description": "każdy wpis, z decyzją i powodem odrzucenia"})
    history = fields.List(fields.Nested(ExportedEventOut), metadata={
        "description": "każde zdarzenie o tej osobie: kiedy, kto, co (dane osobowe odszyfrowane)"})
    access = fields.List(fields.Nested(AccessOut), metadata={"description": "kto i kiedy korzystał z jej danych"})
