"""Request and response bodies of the applications API."""

from decimal import Decimal

from marshmallow import ValidationError, fields, post_load, validates_schema

from contracts import vocabulary
from contracts.applications import GrantCap
from infra.web import fields as f


class GrantCapSchema(f.Schema):
    min_institutions = f.integer(minimum=2, maximum=100)
    max_institutions = f.integer(required=False, allow_none=True, load_default=None, minimum=2, maximum=100)
    cap = f.money()

    @post_load
    def _cap(self, data, **_kwargs) -> GrantCap:
        return GrantCap(**data)


class EditionIn(f.Schema):
    programme = f.choice(vocabulary.PROGRAMMES)
    name = f.text()
    year = f.integer(minimum=2000, maximum=2100)
    round = f.choice(vocabulary.ROUNDS, required=False, allow_none=True, load_default=None)
    kind = f.choice(vocabulary.EDITION_KINDS)
    mal_required = f.boolean(required=False, load_default=False)
    grant_caps = f.nested(GrantCapSchema, many=True, required=False, load_default=tuple)
    budget = f.money(required=False, allow_none=True, load_default=None)
    opens_on = f.date()
    closes_on = f.date()


class EditionOut(f.Schema):
    id = fields.String()
    programme = fields.String()
    name = fields.String()
    year = fields.Integer()
    round = fields.String(allow_none=True)
    kind = fields.String()
    mal_required = fields.Boolean()
    grant_caps = fields.List(fields.Nested(GrantCapSchema))
    budget = fields.Decimal(places=2, as_string=True, allow_none=True)
    opens_on = fields.Date()
    closes_on = fields.Date()
    status = fields.String(metadata={"description": "open albo closed"})
    version = fields.Integer()
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class EditionQuery(f.Schema):
    programme = f.choice(vocabulary.PROGRAMMES, required=False)


class InstitutionIn(f.Schema):
    name = f.text()
    kind = f.choice(vocabulary.INSTITUTION_KINDS)
    district = f.choice(vocabulary.DISTRICTS)
    is_mal = f.boolean(required=False, load_default=False)


class InstitutionChangeIn(InstitutionIn):
    """A correction takes the register's fields, each optional: one left out stays as it is (no default fills it)."""

    is_mal = f.boolean(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, partial=True, **kwargs)


class InstitutionOut(f.Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    district = fields.String()
    is_mal = fields.Boolean()
    version = fields.Integer(metadata={"description": "wersja w rejestrze (ETag), do nagłówka If-Match przy poprawce"})
    registered_at = fields.DateTime()


class InstitutionQuery(f.Schema):
    district = f.choice(vocabulary.DISTRICTS, required=False)
    kind = f.choice(vocabulary.INSTITUTION_KINDS, required=False)


class PartnershipIn(f.Schema):
    edition_id = f.ident()
    title = f.text()
    lead_institution_id = f.ident()
    institution_ids = f.id_list(min_items=1, max_items=50)
    requested_amount = f.money()


class PartnershipOut(f.Schema):
    id = fields.String()
    edition_id = fields.String()
    title = fields.String()
    lead_institution_id = fields.String()
    institution_ids = fields.List(fields.String())
    size = fields.Integer(metadata={"description": "liczba instytucji w partnerstwie"})
    requested_amount = fields.Decimal(places=2, as_string=True)
    status = fields.String(metadata={"description": "proposed albo withdrawn"})
    mal_status = fields.String(metadata={"description": "pending, verified albo failed"})
    mal_institution_id = fields.String(allow_none=True)
    mal_reason = fields.String(allow_none=True)
    withdrawn_reason = fields.String(allow_none=True)
    version = fields.Integer()
    proposed_at = fields.DateTime()
    updated_at = fields.DateTime()


class PartnershipQuery(f.Schema):
    edition_id = f.ident(required=False)
    status = f.choice(vocabulary.PARTNERSHIP_STATUSES, required=False)


class MALVerificationIn(f.Schema):
    verified = f.boolean()
    institution_id = f.ident()
    reason = f.text(required=False, allow_none=True, load_default=None, max_length=2000)

    @validates_schema
    def _reason_when_refused(self, data, **_):
        if data.get("verified") is False and not (data.get("reason") or "").strip():
            raise ValidationError("Podaj powód negatywnej weryfikacji MAL.", field_name="reason")


class CloseIn(f.Schema):
    """Closing takes no fields: a body naming any is refused by name rather than ignored."""


class WithdrawIn(f.Schema):
    reason = f.text(max_length=2000)


class EnrolmentIn(f.Schema):
    institution_id = f.ident()


class EnrolmentOut(f.Schema):
    id = fields.String(attribute="enrolment_id")
    edition_id = fields.String()
    institution_id = fields.String()
    name = fields.String()
    district = fields.String()
    kind = fields.String()
    enrolled_at = fields.DateTime()
    version = fields.Integer(metadata={"description": "wersja zgłoszenia (ETag), do nagłówka If-Match"})
    status = fields.String(metadata={"description": "enrolled albo withdrawn"})
    withdrawn_reason = fields.String(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    programme_adopted_on = fields.Date(allow_none=True, metadata={"description": "dzień przyjęcia programu wolontariatu"})
    trainings = fields.Integer(metadata={"description": "w ilu szkoleniach, wizytach studyjnych i spotkaniach edycji brała udział"})
    monitoring_visits = fields.Integer(metadata={"description": "ile razy odwiedzili ją trenerzy"})
    last_stage = fields.String(allow_none=True, metadata={"description": "etap z ostatniej wizyty monitorującej"})


class TrainingIn(f.Schema):
    kind = f.choice(vocabulary.TRAINING_KINDS)
    title = f.text()
    held_on = f.date()
    hours = f.hours(maximum=Decimal("1000"))
    institution_ids = f.id_list(min_items=1, max_items=200)


class AttendingOut(f.Schema):
    id = fields.String()
    name = fields.String()
    district = fields.String()


class TrainingOut(f.Schema):
    id = fields.String()
    edition_id = fields.String()
    kind = fields.String(metadata={"description": "training, study_visit albo meeting"})
    title = fields.String()
    held_on = fields.Date()
    hours = fields.Decimal(places=2, as_string=True)
    institution_ids = fields.List(fields.String())
    institutions = fields.List(fields.Nested(AttendingOut))
    recorded_at = fields.DateTime()


class MonitoringVisitIn(f.Schema):
    institution_id = f.ident()
    visited_on = f.date()
    stage = f.choice(vocabulary.MONITORING_STAGES)


class MonitoringVisitOut(f.Schema):
    id = fields.String()
    edition_id = fields.String()
    institution_id = fields.String()
    name = fields.String()
    district = fields.String()
    visited_on = fields.Date()
    stage = fields.String(metadata={"description": "diagnosis, planning, implementation albo evaluation"})
    recorded_at = fields.DateTime()


class ProgrammeIn(f.Schema):
    adopted_on = f.date()
