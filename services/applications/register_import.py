"""Reading an office's institution register (CSV or XLSX) into rows the register can take, each judged on its own.

A row is new, already registered (same name in the same district, however spelled), repeated in the file, or
refused with the field and the reason — the API's own schema decides what a valid institution is.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable
from typing import Any

import marshmallow as ma
import openpyxl  # type: ignore[import-untyped]  # no type information, and its stubs are not a dependency

from infra import polish
from services.applications.domain.institutions import normalised_name
from services.applications.schemas import InstitutionIn

COLUMNS = {
    "name": ("nazwa", "nazwa instytucji", "name", "instytucja"),
    "kind": ("rodzaj", "typ", "kind", "rodzaj instytucji"),
    "district": ("dzielnica", "district"),
    "is_mal": ("mal", "is_mal", "czy mal", "miejsce aktywności lokalnej"),
}
"""The headings an office's sheet may use for each field (compared without case)."""

YES = {"tak", "t", "x", "1", "yes", "true", "prawda"}
NO = {"", "nie", "n", "0", "no", "false", "fałsz"}
KINDS = {label.lower(): code for code, label in polish.INSTITUTION_KIND.items()} | {
    str(code): code for code in polish.INSTITUTION_KIND} | {"mal": "mal", "miejsce aktywności lokalnej": "mal"}
FIELDS_PL = {"name": "nazwa", "kind": "rodzaj", "district": "dzielnica", "is_mal": "MAL", "_schema": "wiersz"}

NEW, REGISTERED, REPEATED, REFUSED = "new", "registered", "repeated", "refused"


class Unreadable(ValueError):
    """The file is not a sheet this page can read; the message says why, in Polish."""


@dataclasses.dataclass
class Row:
    number: int
    """The row's line in the sheet (the heading is line 1)."""
    raw: dict[str, str]
    status: str = NEW
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    field: str | None = None
    reason: str | None = None


def read_sheet(filename: str, content: bytes) -> list[dict[str, str]]:
    """The sheet's rows as {heading: text}, from an .xlsx or a .csv (UTF-8 or Windows-1250, ; , or tab)."""
    if filename.lower().endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
            raise Unreadable("Tego pliku nie da się odczytać jako arkusza Excel (.xlsx).") from exc
        rows = [["" if cell is None else str(cell).strip() for cell in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    elif filename.lower().endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise Unreadable("Wybierz plik .csv albo .xlsx.")
    rows = [row for row in rows if any(row)]
    if not rows:
        raise Unreadable("Plik jest pusty.")
    headings = [h.strip().lower() for h in rows[0]]
    return [dict(zip(headings, row)) for row in rows[1:]]


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable("Plik CSV nie jest zapisany w UTF-8 ani w Windows-1250.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def columns(headings: Iterable[str]) -> dict[str, str]:
    """field → the heading that holds it; Unreadable when the sheet lacks a field's column."""
    found = {}
    present = set(headings)
    for field, names in COLUMNS.items():
        heading = next((name for name in names if name in present), None)
        if heading is not None:
            found[field] = heading
    missing = [FIELDS_PL[f] for f in ("name", "kind", "district") if f not in found]
    if missing:
        raise Unreadable(f"Brakuje kolumn: {', '.join(missing)}. Pierwszy wiersz musi nazywać kolumny "
                         "(Nazwa, Rodzaj, Dzielnica, MAL).")
    return found


def judge(sheet: list[dict[str, str]], registered: Callable[[str, str], bool]) -> list[Row]:
    """Each row marked new, registered, repeated in the file or refused; `registered(name, district)` asks the register."""
    where = columns(sheet[0].keys()) if sheet else {}
    schema, seen, rows = InstitutionIn(), set(), []
    for number, cells in enumerate(sheet, start=2):
        raw = {field: cells.get(heading, "") for field, heading in where.items()}
        row = Row(number, raw)
        rows.append(row)
        mal = raw.get("is_mal", "").strip().lower()
        if mal not in YES | NO:
            row.status, row.field, row.reason = REFUSED, "is_mal", "Wpisz „tak” albo „nie”."
            continue
        kind = KINDS.get(raw["kind"].strip().lower())
        if kind is None:
            row.status, row.field = REFUSED, "kind"
            row.reason = f"Nieznany rodzaj „{raw['kind']}”. Wpisz jeden z: {', '.join(polish.INSTITUTION_KIND.values())}."
            continue
        body = {"name": raw["name"], "kind": kind,
                "district": raw["district"].strip(), "is_mal": mal in YES}
        try:
            row.values = schema.load(body)
        except ma.ValidationError as exc:
            field, messages = next(iter(exc.normalized_messages().items()))
            row.status, row.field, row.reason = REFUSED, field, " ".join(map(str, messages))
            continue
        key = (normalised_name(row.values["name"]), row.values["district"])
        if key in seen:
            row.status = REPEATED
        elif registered(row.values["name"], row.values["district"]):
            row.status = REGISTERED
        seen.add(key)
    return rows
