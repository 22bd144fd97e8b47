"""Field types shared by event schemas: ids, money, closed vocabularies."""

import decimal
import re
import uuid
from typing import TYPE_CHECKING

import marshmallow_dataclass as mdc
from marshmallow import ValidationError, fields, validate

from contracts import vocabulary

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _is_uuid(value: str) -> None:
    # The form every producer writes is checked by a regex, a twentieth of uuid.UUID's cost per id;
    # any other spelling still gets uuid.UUID's verdict, so the rule itself is unchanged.
    if isinstance(value, str) and _CANONICAL_UUID.fullmatch(value):
        return
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError) as exc:
        raise ValidationError("Not a valid UUID.") from exc


if TYPE_CHECKING:
    # To a type checker each field type is the value it holds: ids and words are str, money is Decimal (at run
    # time too: a marshmallow_dataclass NewType returns its argument). Its NewType is a value mypy cannot read as
    # a type, and the field's validators and documentation mean nothing to the checker.
    Id = str
    Money = decimal.Decimal
    Hours = decimal.Decimal
    Month = str
    Programme = str
    Round = str
    EditionKind = str
    InstitutionKind = str
    TrainingKind = str
    MonitoringStage = str
    District = str
    Text = str
else:
    Id = mdc.NewType("Id", str, validate=_is_uuid, metadata={"format": "uuid", "description": "identyfikator (UUID)"})
    Money = mdc.NewType(
        "Money",
        decimal.Decimal,
        field=fields.Decimal,
        places=2,
        as_string=True,
        rounding=decimal.ROUND_HALF_UP,
        validate=validate.Range(min=0),
        metadata={"description": "kwota w PLN, dwa miejsca po przecinku"},
    )
    Hours = mdc.NewType(
        "Hours",
        decimal.Decimal,
        field=fields.Decimal,
        places=2,
        as_string=True,
        validate=validate.Range(min=0),
        metadata={"description": "liczba godzin, do dwóch miejsc po przecinku"},
    )
    Month = mdc.NewType(
        "Month",
        str,
        validate=validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="Oczekiwano miesiąca w postaci RRRR-MM."),
        metadata={"description": "miesiąc kalendarzowy, RRRR-MM"},
    )
    Programme = mdc.NewType(
        "Programme", str, validate=validate.OneOf(vocabulary.PROGRAMMES), metadata={"description": "program"}
    )
    Round = mdc.NewType(
        "Round", str, validate=validate.OneOf(vocabulary.ROUNDS), metadata={"description": "tura edycji (null: edycja roczna)"}
    )
    EditionKind = mdc.NewType(
        "EditionKind", str, validate=validate.OneOf(vocabulary.EDITION_KINDS), metadata={"description": "rodzaj naboru"}
    )
    InstitutionKind = mdc.NewType(
        "InstitutionKind", str, validate=validate.OneOf(vocabulary.INSTITUTION_KINDS), metadata={"description": "rodzaj instytucji"}
    )
    TrainingKind = mdc.NewType(
        "TrainingKind", str, validate=validate.OneOf(vocabulary.TRAINING_KINDS),
        metadata={"description": "szkolenie, wizyta studyjna albo spotkanie"},
    )
    MonitoringStage = mdc.NewType(
        "MonitoringStage", str, validate=validate.OneOf(vocabulary.MONITORING_STAGES),
        metadata={"description": "etap wdrażania wolontariatu w instytucji"},
    )
    District = mdc.NewType(
        "District", str, validate=validate.OneOf(vocabulary.DISTRICTS), metadata={"description": "dzielnica Warszawy"}
    )
    Text = mdc.NewType("Text", str, validate=validate.Length(min=1, max=2000), metadata={"description": "tekst"})
