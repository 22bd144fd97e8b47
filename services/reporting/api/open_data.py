"""The open results' shapes: the JSON of an edition for residents and the open-data CSV files.

The CSV files follow RFC 4180 as open-data portals read them: UTF-8, a comma between fields, a dot before decimals,
one header row naming the same fields as the JSON.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from marshmallow import Schema, fields

from services.reporting.api.exports import FORMULA_STARTS
from services.reporting.api.schemas import FundingTotals, InstitutionCounts, PartnershipCounts, TrainingCounts, VolunteerCounts

CSV_TYPE = "text/csv; charset=utf-8"


class PublicInstitution(Schema):
    name = fields.String(allow_none=True, metadata={"description": "nazwa według rejestru instytucji miejskich"})
    kind = fields.String(allow_none=True)
    district = fields.String(allow_none=True)


class PublicPartnership(Schema):
    partnership_id = fields.String()
    title = fields.String(allow_none=True)
    district = fields.String(allow_none=True, metadata={"description": "dzielnica instytucji wiodącej"})
    amount_granted = fields.String(metadata={"description": "przyznane dofinansowanie w mocy, PLN", "example": "6000.00"})
    institutions = fields.List(fields.Nested(PublicInstitution), metadata={"description": "instytucja wiodąca pierwsza"})


class PublicEnrolment(PublicInstitution):
    programme_adopted = fields.Boolean(metadata={"description": "przyjęła swój program wolontariatu"})
    withdrawn = fields.Boolean(metadata={"description": "wycofała się z edycji"})


class PublicFigures(Schema):
    partnerships = fields.Nested(PartnershipCounts)
    funding = fields.Nested(FundingTotals)
    institutions = fields.Nested(InstitutionCounts)
    volunteers = fields.Nested(VolunteerCounts, metadata={"description": "tylko liczby: żadnych danych osobowych"})
    training = fields.Nested(TrainingCounts)


class PublicEdition(Schema):
    edition_id = fields.String()
    programme = fields.String()
    programme_name = fields.String()
    name = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    round = fields.String(allow_none=True)
    round_name = fields.String(allow_none=True)
    opens_on = fields.String(allow_none=True)
    closes_on = fields.String(allow_none=True)
    closed = fields.Boolean()
    figures = fields.Nested(PublicFigures, metadata={"description": "najważniejsze liczby edycji (jak w jej podsumowaniu)"})
    funded_partnerships = fields.List(fields.Nested(PublicPartnership))
    institutions = fields.List(fields.Nested(PublicEnrolment), metadata={
        "description": "instytucje zgłoszone do edycji naboru (w edycjach partnerstw pusta lista)"})


PARTNERSHIP_COLUMNS = ("edition_id", "edition", "year", "round", "partnership_id", "title", "district", "amount_granted",
                       "institutions")
EDITION_COLUMNS = ("edition_id", "edition", "programme", "year", "round", "closed", "partnerships_funded", "granted_total",
                   "spent_total", "institutions", "volunteers_joined", "volunteers_active", "hours_approved",
                   "training_sessions", "institutions_trained", "programmes_adopted")


def partnership_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per funded partnership of every edition (institutions' names joined by "; ")."""
    return [
        {"edition_id": e["edition_id"], "edition": e["name"], "year": e["year"], "round": e["round"], **{
            k: p[k] for k in ("partnership_id", "title", "district", "amount_granted")},
         "institutions": "; ".join(i["name"] or "" for i in p["institutions"])}
        for e in records for p in e["funded_partnerships"]
    ]


def edition_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per edition with its headline figures."""
    rows = []
    for e in records:
        f = e["figures"]
        rows.append({
            "edition_id": e["edition_id"], "edition": e["name"], "programme": e["programme"], "year": e["year"], "round": e["round"],
            "closed": e["closed"], "partnerships_funded": f["partnerships"]["funded"], "granted_total": f["funding"]["granted_total"],
            "spent_total": f["funding"]["spent_total"], "institutions": f["institutions"]["count"],
            "volunteers_joined": f["volunteers"]["joined"], "volunteers_active": f["volunteers"]["active"],
            "hours_approved": f["volunteers"]["hours_approved"], "training_sessions": f["training"]["sessions"],
            "institutions_trained": f["training"]["institutions_trained"], "programmes_adopted": f["training"]["programmes_adopted"],
        })
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A title typed by a person must not become a spreadsheet formula (CSV injection) when a resident opens the file.
    return "'" + text if isinstance(value, str) and text[:1] in FORMULA_STARTS else text


def to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")
