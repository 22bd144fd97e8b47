"""Numbers and nouns the way Polish staff write them (infra.polish)."""

from __future__ import annotations

import pytest

from infra.polish import NBSP, count, grouped


@pytest.mark.parametrize("n, text", [
    (0, "0 zdarzeń"), (1, "1 zdarzenie"), (3, "3 zdarzenia"), (5, "5 zdarzeń"), (12, "12 zdarzeń"),
    (22, "22 zdarzenia"), (1_250, f"1{NBSP}250 zdarzeń"), (1_000_002, f"1{NBSP}000{NBSP}002 zdarzenia"),
])
def test_a_count_takes_the_noun_form_its_number_needs(n, text):
    assert count(n, "zdarzenie", "zdarzenia", "zdarzeń") == text


def test_grouped_separates_thousands_and_keeps_the_sign():
    assert grouped(-1234567) == f"-1{NBSP}234{NBSP}567"
    assert grouped(999) == "999"
