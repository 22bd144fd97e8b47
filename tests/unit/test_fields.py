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


@pytest.mark.parametrize("amount", ["5000.005", "6000.001", 0.001])
def test_a_fraction_of_a_grosz_is_refused_not_rounded(amount):
    assert _error({"amount": amount}) == "Kwota może mieć najwyżej dwa miejsca po przecinku (pełne grosze)."


@pytest.mark.parametrize("amount", ["6000", "6000.5", "6000.50", 6000.5, "6000.500"])
def test_whole_grosze_are_kept_with_two_places(amount):
    assert Body().load({"amount": amount})["amount"] == decimal.Decimal("6000.50" if "5" in str(amount) else "6000.00")


@pytest.mark.parametrize("amount", ["1E+30", "1e999999999", 1e300, "12345678901234567890123456789.01", "100000000.01"])
def test_an_amount_beyond_the_limit_is_refused_by_the_range(amount):
    assert _error({"amount": amount}) == "Kwota musi wynosić od 0.01 do 100000000 zł."


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_special_numbers_are_refused_in_polish(amount):
    assert _error({"amount": amount}) == f.MONEY


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
