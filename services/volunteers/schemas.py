"""Request and response bodies of the volunteers API."""

from marshmallow import fields, validate

from infra.web import fields as f

PHONE_HELP = "Podaj numer telefonu (cyfry, spacje, myślniki, opcjonalnie + na początku), np. +48 600 123 456."


def phone():
    return fields.String(
        required=False,
        allow_none=True,
        load_default=None,
        validate=[
            validate.Length(max=30, error="Numer telefonu może mieć najwyżej {max} znaków."),
            validate.Regexp(r"^\s*\+?[0-9][0-9 ()\-]{4,}[0-9]\s*$", error=PHONE_HELP),
        ],
        error_messages=f.REQUIRED | {"invalid": PHONE_HELP},
    )


class VolunteerIn(f.Schema):
    first_name = f.text(max_length=100)
    last_name = f.text(max_length=100)
    email = f.email()
    phone = phone()


class MembershipIn(f.Schema):
    institution_id = f.ident()
    edition_id = f.ident()
    partnership_id = f.ident(required=False, allow_none=True, load_default=None)
    joined_on = f.date()


class LeaveIn(f.Schema):
    left_on = f.date()


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


class VolunteerOut(f.Schema):
    id = fields.String()
    first_name = fields.String(allow_none=True, metadata={"description": "null po usunięciu danych (RODO)"})
    last_name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    erased = fields.Boolean(metadata={"description": "true: dane osobowe usunięto na żądanie osoby"})
    version = fields.Integer()
    registered_at = fields.DateTime()
    erased_at = fields.DateTime(allow_none=True)
    memberships = fields.List(fields.Nested(MembershipOut))


class VolunteerSummaryOut(VolunteerOut):
    class Meta:
        exclude = ("memberships",)


class VolunteerQuery(f.Schema):
    institution_id = f.ident(required=False)
    edition_id = f.ident(required=False)
    active = f.boolean(required=False, metadata={
        "description": "true: z członkostwem trwającym (w podanej instytucji i edycji, jeśli podano); "
                       "false: z członkostwami, z których żadne już nie trwa"})
    limit = f.integer(required=False, load_default=100, minimum=1, maximum=1000, strict=False)
    offset = f.integer(required=False, load_default=0, minimum=0, maximum=1_000_000, strict=False)


class AccessQuery(f.Schema):
    volunteer_id = f.ident(required=False)


class AccessOut(f.Schema):
    volunteer_id = fields.String()
    actor = fields.String(metadata={"description": "kto (identyfikator z tokenu lub logowania)"})
    action = fields.String(metadata={"description": "read, registered albo erased"})
    at = fields.DateTime()
