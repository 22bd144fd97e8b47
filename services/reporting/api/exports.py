"""The page's data as files for spreadsheets: CSV the way Polish Excel opens it, and XLSX.

CSV: UTF-8 with a byte-order mark (so Excel reads Polish letters), `;` between fields and a decimal
comma (Excel's list separator and number format in the Polish locale), CRLF line ends. Sections are
separated by an empty line; each starts with its title, then a header row.
"""

from __future__ import annotations

import csv
import decimal
import io
from typing import Any

# openpyxl ships no type information, and its stubs (types-openpyxl) are not among the project's dependencies.
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from services.reporting import polish
from services.reporting.moments import in_warsaw
from services.reporting.readmodel.grants import GrantState
from services.reporting.readmodel.paths import Path
from services.reporting.readmodel.report import HOURS_FIELDS, Report

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0.00 "zł"'
HOURS_FORMAT = '#,##0.00 "godz."'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PATHS = "Ścieżka instytucji"


class Hours(decimal.Decimal):
    """A number of hours: a decimal like an amount, but a spreadsheet must not call it złoty."""


def _state(path: Path) -> str:
    """Where an institution stands on its path, as the page says it."""
    if path.withdrawn_at is not None:
        return f"wycofana {polish.day_of(path.withdrawn_at)}" + (f": {path.withdrawn_reason}" if path.withdrawn_reason else "")
    return polish.WAITING[path.waits_for] if path.waits_for else "cała ścieżka"


def _zloty(grosze: int | None) -> decimal.Decimal | None:
    return None if grosze is None else decimal.Decimal(int(grosze)).scaleb(-2)


def sections(report: Report) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, header, rows) of every table the page shows; money as Decimal PLN."""
    headline = [[h["label"], Hours(h["value"]) if h["field"] in HOURS_FIELDS else h["value"]] for h in report.headlines()]
    funded = [
        [
            n,
            r["title"] or "",
            r["lead_name"] or "",
            r["lead_district"] or "",
            r["size"],
            _zloty(r["requested_gr"]),
            _zloty(r["granted_gr"]),
            in_warsaw(r["granted_at"]).date() if r["granted_at"] else None,
            polish.GRANT_STATES[r["state"]],
            _zloty(r["spent_gr"]),
            _zloty(r["returned_gr"]),
        ]
        for n, r in enumerate(report.funded, start=1)
    ]
    if funded:
        funded.append(["", "Razem", "", "", None, _zloty(report.funded_requested_gr()), _zloty(report.funded_total_gr()), None,
                       "", _zloty(sum(r["spent_gr"] or 0 for r in report.funded)),
                       _zloty(sum(r["returned_gr"] or 0 for r in report.funded))])
    settlement = [
        [polish.GRANT_STATES[t.state], t.count, _zloty(t.amount_gr), *((_zloty(t.spent_gr), _zloty(t.returned_gr))
                                                                      if t.state is GrantState.SETTLED else (None, None))]
        for t in report.settlement() if t.state is not GrantState.REVOKED  # the revoked: a sheet of their own
    ]
    settlement.append(["Razem dofinansowania w mocy", report.summary["partnerships"]["funded"],
                       *(decimal.Decimal(report.summary["funding"][k]) for k in ("granted_total", "spent_total", "returned_total"))])
    revoked = [
        [n, r["title"] or "", r["lead_name"] or "", _zloty(r["revoked_gr"]),
         in_warsaw(r["revoked_at"]).date() if r["revoked_at"] else None, r["revoked_reason"] or ""]
        for n, r in enumerate(report.revoked, start=1)
    ]
    if revoked:
        revoked.append(["", "Razem", "", decimal.Decimal(report.summary["funding"]["revoked_total"]), None, ""])
    result = [
        ("Wskaźniki", ["Wskaźnik", "Wartość"], headline),
        (
            "Partnerstwa dofinansowane",
            ["Lp.", "Tytuł partnerstwa", "Instytucja wiodąca", "Dzielnica", "Liczba instytucji",
             "Kwota wnioskowana (zł)", "Kwota przyznana (zł)", "Data przyznania", "Rozliczenie", "Wydano (zł)", "Do zwrotu (zł)"],
            funded,
        ),
        ("Rozliczenie", ["Stan", "Partnerstwa", "Przyznano (zł)", "Wydano (zł)", "Do zwrotu (zł)"], settlement),
        (
            "Cofnięte dofinansowania",
            ["Lp.", "Tytuł partnerstwa", "Instytucja wiodąca", "Cofnięta kwota (zł)", "Data cofnięcia", "Powód"],
            revoked,
        ),
        (
            "Dofinansowanie wg wielkości partnerstwa",
            ["Wielkość partnerstwa", "Partnerstwa zgłoszone", "Partnerstwa dofinansowane",
             "Kwota wnioskowana (zł)", "Kwota przyznana (zł)"],
            [[report.size_label(r["size"]), r["proposed"], r["funded"], _zloty(r["requested"]), _zloty(r["granted"])]
             for r in report.by_size],
        ),
        ("Instytucje wg rodzaju", ["Rodzaj instytucji", "Liczba instytucji"], [[label, n] for _, label, n in report.by_kind()]),
        ("Instytucje wg dzielnicy", ["Dzielnica", "Liczba instytucji"], [[label, n] for _, label, n in report.by_district()]),
        (
            "Wolontariusze w kolejnych miesiącach",
            ["Miesiąc", "Dołączyli (łącznie)", "Aktywni na koniec miesiąca"],
            [[f"{m.year}-{m.month:02d}", m.joined, m.active] for m in report.months],
        ),
        (
            PATHS,
            ["Instytucja", "Dzielnica", "Zgłoszona", "Szkolenia", "Wizyty trenera", "Etap w ostatniej wizycie",
             "Program przyjęty", "Aktywni wolontariusze", "Stan"],
            [[p.name or p.institution_id, p.district or "", in_warsaw(p.enrolled_at).date(), p.trainings, p.visits,
              polish.STAGES.get(p.last_stage or "", p.last_stage or ""), p.adopted_on, p.volunteers_active, _state(p)]
             for p in report.paths],
        ),
    ]
    if not report.partnership_edition:
        keep = ("Wskaźniki", "Instytucje wg rodzaju", "Instytucje wg dzielnicy", "Wolontariusze w kolejnych miesiącach", PATHS)
        result = [s for s in result if s[0] in keep]
    if not report.enrolment_edition:
        result = [s for s in result if s[0] != PATHS]
    return result


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}".replace(".", ",")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    # A title typed by a person must not become a spreadsheet formula (CSV injection).
    return "'" + text if isinstance(value, str) and text[:1] in FORMULA_STARTS else text


def to_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["Podsumowanie edycji", _csv_cell(report.title)])
    writer.writerow(["Program", _csv_cell(polish.edition_subtitle(report.edition))])
    writer.writerow(["Stan na (czas warszawski)", f"{in_warsaw(report.moment):%Y-%m-%d %H:%M}"])
    for title, header, rows in sections(report):
        writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _never_a_formula(cells) -> None:
    """Text typed by a person stays text in the spreadsheet, whatever it starts with."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    header_fill = PatternFill("solid", fgColor="E4ECF7")
    bold = Font(bold=True)
    first = True
    for title, header, rows in sections(report):
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title[:31]
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{report.title} · stan na {polish.moment(report.moment)}"])
        _never_a_formula(sheet[2])
        sheet.append([])
        sheet.append(header)
        for cell in sheet[4]:
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append(list(row))
            _never_a_formula(sheet[sheet.max_row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Hours):
                    cell.number_format = HOURS_FORMAT
                elif isinstance(cell.value, decimal.Decimal):
                    cell.number_format = MONEY_FORMAT
                elif hasattr(cell.value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
            if any(str(v).startswith("Razem") for v in row[:2]):
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet.freeze_panes = "A5"
        for index, column in enumerate(header, start=1):
            values = [str(column)] + [str(r[index - 1]) for r in rows if index - 1 < len(r) and r[index - 1] is not None]
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, max(len(v) for v in values) + 2))
    book.properties.title = f"Podsumowanie: {report.title}"
    book.properties.creator = "Ochotnicy warszawscy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
