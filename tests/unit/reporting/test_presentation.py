"""How reporting writes numbers, money, dates and moments for Polish readers, and draws charts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from services.reporting import moments, polish
from services.reporting.pages import charts
from services.reporting.readmodel.projection import grosze
from services.reporting.readmodel.queries import money

NBSP = "\u00a0"
UTC = datetime.timezone.utc


@pytest.mark.parametrize(
    "value, shown",
    [(Decimal("6000.00"), f"6{NBSP}000,00{NBSP}zł"), ("20500.5", f"20{NBSP}500,50{NBSP}zł"), (0, f"0,00{NBSP}zł"),
     (Decimal("1234567.891"), f"1{NBSP}234{NBSP}567,89{NBSP}zł"), (Decimal("999.99"), f"999,99{NBSP}zł")],
)
def test_money_is_written_with_spaces_between_thousands_and_a_decimal_comma(value, shown):
    assert polish.pln(value) == shown


def test_money_travels_as_exact_grosze_and_back_as_decimal_strings():
    assert grosze(Decimal("6000.00")) == 600000 and grosze(Decimal("0.01")) == 1 and grosze(None) is None
    assert money(600000) == "6000.00" and money(5) == "0.05" and money(None) == "0.00"
    assert polish.pln(2050050, grosze=True) == f"20{NBSP}500,50{NBSP}zł"


@pytest.mark.parametrize("n, word", [(1, "partnerstwo"), (2, "partnerstwa"), (4, "partnerstwa"), (5, "partnerstw"),
                                     (12, "partnerstw"), (22, "partnerstwa"), (25, "partnerstw"), (0, "partnerstw")])
def test_polish_plurals(n, word):
    assert polish.plural(n, "partnerstwo", "partnerstwa", "partnerstw") == word


def test_dates_and_moments_in_polish_and_warsaw_time():
    assert polish.date(datetime.date(2021, 12, 31)) == "31 grudnia 2021"
    assert polish.moment(datetime.datetime(2021, 7, 1, 10, 5, tzinfo=UTC)) == "1 lipca 2021, 12:05"  # CEST
    assert polish.number(1234567) == f"1{NBSP}234{NBSP}567"


@pytest.mark.parametrize(
    "text, moment",
    [
        ("2021-12-31", datetime.datetime(2021, 12, 31, 22, 59, 59, 999999, tzinfo=UTC)),  # end of the day, CET
        ("2021-07-31", datetime.datetime(2021, 7, 31, 21, 59, 59, 999999, tzinfo=UTC)),  # CEST
        ("20210731", datetime.datetime(2021, 7, 31, 21, 59, 59, 999999, tzinfo=UTC)),  # the basic form: a day, too
        ("2021-12-31T18:00", datetime.datetime(2021, 12, 31, 17, 0, tzinfo=UTC)),
        ("2021-12-31 18:00:30", datetime.datetime(2021, 12, 31, 17, 0, 30, tzinfo=UTC)),
        ("2021-12-31T17:00:00Z", datetime.datetime(2021, 12, 31, 17, 0, tzinfo=UTC)),
        ("2021-12-31T19:00:00+02:00", datetime.datetime(2021, 12, 31, 17, 0, tzinfo=UTC)),
    ],
)
def test_as_of_is_read_as_people_and_programs_write_it(text, moment):
    assert moments.parse(text) == moment


@pytest.mark.parametrize("text", ["", "jutro", "2021-02-30", "31.12.2021", "2021-12-31T25:00", "0001-01-01"])
def test_an_unreadable_as_of_says_what_to_write(text):
    with pytest.raises(moments.BadMoment, match="ISO 8601"):
        moments.parse(text)


@pytest.mark.parametrize("peak, axis", [(1, (1, 1)), (3, (1, 3)), (4, (1, 4)), (7, (2, 4)), (10, (2, 5)), (13, (5, 3)),
                                        (60, (10, 6)), (61, (20, 4)), (999, (200, 5))])
def test_count_axes_step_by_whole_round_numbers(peak, axis):
    assert charts.axis(peak) == axis


def test_charts_are_svg_with_a_title_and_description_and_escape_labels():
    svg = charts.hbars([charts.Bar("<Biblioteki & domy>", 3, "3"), charts.Bar("Szkoły", 0, "0")],
                       title="Instytucje", desc="Biblioteki: 3")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "&lt;Biblioteki &amp; domy&gt;" in svg and "<Biblioteki" not in svg
    columns = charts.columns_and_line(["sty 2021", "lut 2021"], [1, 3], [1, 4], title="W", desc="d",
                                      column_label="Aktywni", line_label="Dołączyli")
    assert columns.count("<rect") >= 3 and "<polyline" in columns
