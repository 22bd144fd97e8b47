"""The certificate as a PDF: its text read back out of it, Polish letters as themselves, its metadata naming no one."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from pypdf import PdfReader

from services.volunteers.certificate import Certificate
from services.volunteers.certificate_pdf import period, render

POLISH = "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
D = datetime.date


def certificate(**changes) -> Certificate:
    fields = dict(volunteer_id="0" * 36, membership_id="3f2b8c1e-7a4d-4e5f-9b6a-0c1d2e3f4a5b",
                  full_name=f"Zażółć Gęślą-Jaźń {POLISH}", birth_date=D(2001, 3, 4),
                  institution="Biblioteka Publiczna Dzielnicy Włochy", edition="Rozwój wolontariatu w bibliotekach 2019",
                  partnership=False, joined_on=D(2021, 10, 1), left_on=D(2021, 12, 31),
                  months=(("2021-10", Decimal("12.50")), ("2021-11", Decimal("25.00"))), issued_on=D(2022, 1, 10))
    return Certificate(**(fields | changes))


def read(pdf: bytes, pages: int = 1) -> tuple[str, dict]:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    for number, page in enumerate(reader.pages, 1):
        assert f"strona {number} z {pages}" in page.extract_text()
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages), dict(reader.metadata or {})


def test_the_text_read_back_names_the_person_institution_edition_period_and_hours_with_polish_letters():
    text, metadata = read(render(certificate()))
    assert "ZAŚWIADCZENIE o wykonywaniu świadczeń wolontariusza" in text
    assert f"Zażółć Gęślą-Jaźń {POLISH}" in text, "every Polish letter renders as itself"
    assert "urodzony(a) 4 marca 2001 r." in text and "Warszawa, 10 stycznia 2022 r." in text
    assert "„Biblioteka Publiczna Dzielnicy Włochy”" in text and "„Rozwój wolontariatu w bibliotekach 2019”" in text
    assert "od 1 października 2021 r. do 31 grudnia 2021 r." in text
    assert "październik 2021 12,5 h listopad 2021 25 h Łącznie 37,5 h" in text
    assert "Zażółć" not in str(metadata) and "Biblioteka" not in str(metadata)


def test_an_ongoing_membership_runs_until_today_and_one_without_approved_hours_says_so():
    ongoing = certificate(left_on=None, months=(), birth_date=None, partnership=True)
    assert period(ongoing) == "od 1 października 2021 r. do dziś (wolontariat trwa)"
    text, _ = read(render(ongoing))
    assert "do dziś (wolontariat trwa)" in text and "nie zatwierdzono jeszcze godzin" in text
    assert "urodzony" not in text and "w inicjatywie partnerstwa" in text


def test_years_of_months_go_on_to_a_second_page_each_numbered():
    months = tuple((f"{2020 + m // 12}-{m % 12 + 1:02d}", Decimal("160.00")) for m in range(36))
    text, _ = read(render(certificate(institution="Dom Kultury „Włochy” – " * 6, months=months)), pages=2)
    assert "grudzień 2022 160 h Łącznie 5 760 h" in text.replace("\u00a0", " ")
    assert "podpis i pieczęć korzystającego (instytucji)" in text
