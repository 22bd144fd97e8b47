"""Reading an office's register: CSV in either encoding and separator, XLSX, and each row judged on its own."""

from __future__ import annotations

import io

import openpyxl
import pytest

from services.applications.register_import import NEW, REFUSED, REGISTERED, REPEATED, Unreadable, judge, read_sheet

SHEET = [
    ("Nazwa", "Rodzaj", "Dzielnica", "MAL"),
    ("Biblioteka na Woli", "Biblioteka", "Wola", "nie"),
    ("Dom Kultury „Włochy”", "dom kultury", "Włochy", ""),
    ("MAL Surma", "Miejsce Aktywności Lokalnej (MAL)", "Bemowo", "tak"),
    ("  biblioteka   NA woli ", "Biblioteka", "Wola", "nie"),
    ("Szkoła nr 1", "Szkoła", "Atlantyda", "nie"),
    ("Szkoła nr 2", "akademia", "Wola", "nie"),
    ("", "Szkoła", "Wola", "nie"),
    ("Szkoła nr 3", "Szkoła", "Wola", "może"),
]


def csv_bytes(encoding: str, delimiter: str) -> bytes:
    return "\n".join(delimiter.join(row) for row in SHEET).encode(encoding)


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    for row in SHEET:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, content", [
    ("rejestr.csv", csv_bytes("utf-8-sig", ";")),
    ("rejestr.csv", csv_bytes("cp1250", ";")),
    ("REJESTR.CSV", csv_bytes("utf-8", ",")),
    ("rejestr.csv", csv_bytes("utf-8", "\t")),
    ("rejestr.xlsx", xlsx_bytes()),
])
def test_every_form_of_the_sheet_reads_the_same(name, content):
    rows = read_sheet(name, content)
    assert len(rows) == len(SHEET) - 1
    assert rows[1] == {"nazwa": "Dom Kultury „Włochy”", "rodzaj": "dom kultury", "dzielnica": "Włochy", "mal": ""}


def test_each_row_is_new_registered_repeated_or_refused_with_the_field_and_reason():
    registered = {("Dom Kultury „Włochy”", "Włochy")}
    rows = judge(read_sheet("r.xlsx", xlsx_bytes()), lambda name, district: (name, district) in registered)
    assert [(r.number, r.status, r.field) for r in rows] == [
        (2, NEW, None), (3, REGISTERED, None), (4, NEW, None), (5, REPEATED, None),
        (6, REFUSED, "district"), (7, REFUSED, "kind"), (8, REFUSED, "name"), (9, REFUSED, "is_mal"),
    ]
    assert rows[0].values == {"name": "Biblioteka na Woli", "kind": "library", "district": "Wola", "is_mal": False}
    assert rows[2].values["kind"] == "mal" and rows[2].values["is_mal"] is True
    assert all(r.reason for r in rows if r.status == REFUSED)
    assert rows[-1].reason == "Wpisz „tak” albo „nie”."
    assert rows[5].reason.startswith("Nieznany rodzaj „akademia”. Wpisz jeden z: Biblioteka, Dom kultury")


@pytest.mark.parametrize("name, content, message", [
    ("rejestr.pdf", b"%PDF", "Wybierz plik .csv albo .xlsx."),
    ("rejestr.xlsx", b"not a workbook", "arkusza Excel"),
    ("rejestr.csv", b"", "Plik jest pusty."),
    ("rejestr.csv", "Nazwa;Rodzaj\nBiblioteka;Biblioteka".encode(), "Brakuje kolumn: dzielnica."),
])
def test_a_file_it_cannot_take_is_refused_in_polish(name, content, message):
    with pytest.raises(Unreadable, match=message):
        judge(read_sheet(name, content), lambda name, district: False)
