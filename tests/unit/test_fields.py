"""Request fields answer in Polish and refuse what they would otherwise change silently."""

from __future__ import annotations

import decimal

import pytest
from marshmallow import ValidationError

from infra.web import fields as f


class Body(f.Schema):
    amount = f.money(required=False)
    edition_id = f.ident(required=False)
    after = f.integer(required=False, minimum=0)
    page = f.integer(required=False, minimum=1, maximum=10)
    joined_on = f.date(required=False)


def _error(data: dict) -> str:
    with pytest.raises(ValidationError) as refused:
        Body().load(data)
    ((field, (message,)),) = refused.value.messages.items()
    assert field == next(iter(data))
    return message


class Answers(f.Schema):
    hours = f.hours(required=False)
    verified = f.boolean(required=False)
    active = f.boolean(required=False, strict=False)


def _refused(schema: f.Schema, data: dict) -> str:
    with pytest.raises(ValidationError) as refused:
        schema.load(data)
    ((field, (message,)),) = refused.value.messages.items()
    assert field == next(iter(data))
    return message


@pytest.mark.parametrize("amount", ["5000.005", "6000.001", "6000.500"])
def test_a_fraction_of_a_grosz_is_refused_not_rounded(amount):
    assert _error({"amount": amount}) == "Kwota może mieć najwyżej dwa miejsca po przecinku (pełne grosze)."


@pytest.mark.parametrize("amount, kept", [("6000", "6000.00"), ("6000.5", "6000.50"), ("6000.50", "6000.50"),
                                          ("0.01", "0.01"), ("100000000", "100000000.00")])
def test_whole_grosze_are_kept_with_two_places(amount, kept):
    assert Body().load({"amount": amount})["amount"] == decimal.Decimal(kept)


@pytest.mark.parametrize("amount", [
    "1e3", "1E+3", "+6000", "-6000", "6_000", " 6000", "6000 ", "6000\n", "6 000", "6,000.00", "6000,00", ".5", "6000.",
    "06000", "00.50", "\u0666\u0660\u0660\u0660", "\u0661e\u0663", "\uff16\uff10\uff10\uff10", "NaN", "Infinity",
    "0x10", "", 5000.5, 6000, 0.001, True, None, ["6000"],
], ids=repr)
def test_an_amount_not_written_as_published_is_refused_not_read_as_the_nearest_number(amount):
    expected = "To pole nie może być puste (null)." if amount is None else f.MONEY
    assert _error({"amount": amount}) == expected


@pytest.mark.parametrize("amount", ["12345678901234567890123456789.01", "100000000.01", "999999999999"])
def test_an_amount_beyond_the_limit_is_refused_by_the_range(amount):
    assert _error({"amount": amount}) == "Kwota musi wynosić od 0.01 do 100000000 zł."


@pytest.mark.parametrize("hours", ["1e1", "+12", "12_5", " 12", ".5", "12,5", "\u0661\u0662", 12.5, 12])
def test_hours_not_written_as_published_are_refused(hours):
    assert _refused(Answers(), {"hours": hours}).startswith("Oczekiwano liczby godzin jako tekstu")


def test_hours_are_read_to_a_hundredth_and_no_finer():
    assert Answers().load({"hours": "12.25"})["hours"] == decimal.Decimal("12.25")
    assert _refused(Answers(), {"hours": "1.125"}) == "Liczba godzin może mieć najwyżej dwa miejsca po przecinku."


@pytest.mark.parametrize("value", ["yes", "true", "True", "1", 1, 0, "on", "", None])
def test_a_body_takes_only_jsons_true_and_false(value):
    expected = "To pole nie może być puste (null)." if value is None else "Oczekiwano true albo false."
    assert _refused(Answers(), {"verified": value}) == expected


def test_true_and_false_are_read():
    assert Answers().load({"verified": True, "active": False}) == {"verified": True, "active": False}


@pytest.mark.parametrize("text, read", [("true", True), ("1", True), ("false", False), ("0", False)])
def test_a_query_string_says_yes_or_no_as_documented(text, read):
    assert Answers().load({"active": text}) == {"active": read}


@pytest.mark.parametrize("text", ["yes", "no", "True", "on", "tak", 1])
def test_a_query_string_says_nothing_else(text):
    assert _refused(Answers(), {"active": text}) == "Oczekiwano true albo false (także 1 albo 0)."


def test_a_malformed_uuid_is_refused_in_polish():
    assert _error({"edition_id": "xyz"}).startswith("Oczekiwano identyfikatora UUID")


def test_range_messages_name_only_the_bounds_there_are():
    assert _error({"after": -1}) == "Wartość musi wynosić co najmniej 0."
    assert _error({"page": 11}) == "Wartość musi mieścić się w zakresie 1–10."


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_a_date_outside_the_programmes_era_is_refused(day):
    assert _error({"joined_on": day}) == "Data musi przypadać między 2000-01-01 a 2100-12-31."


def test_a_date_inside_it_is_read():
    assert str(Body().load({"joined_on": "2021-03-01"})["joined_on"]) == "2021-03-01"


@pytest.mark.parametrize("day", ["2026-W01-1", "2026W011", "2026-001", "2026001", "20260101", "2026-1-1", "2026-01-01T00:00",
                                 " 2026-01-01", "2026-01-01\n", "\u0662\u0660\u0662\u0666-01-01", "01.01.2026", 20260101])
def test_a_date_written_other_than_yyyy_mm_dd_is_refused_not_read_as_another_day(day):
    assert _error({"joined_on": day}) == "Oczekiwano daty w formacie RRRR-MM-DD."


def test_an_impossible_day_is_refused_though_written_right():
    assert _error({"joined_on": "2026-02-30"}) == "Oczekiwano daty w formacie RRRR-MM-DD."
