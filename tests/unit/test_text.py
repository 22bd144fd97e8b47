"""Free text: what the API reads and the domain keeps is words with something visible, nothing unwritable."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from infra.errors import RuleBroken
from infra.freetext import required_words, unwritable, visible, words
from infra.web import fields as f


class Named(f.Schema):
    name = f.text(max_length=10)
    note = f.text(required=False, load_default="")


def test_words_collapse_every_run_of_whitespace():
    assert words("  Biblioteka\n\tna   Woli ") == "Biblioteka na Woli"
    assert words(None) == ""


@pytest.mark.parametrize("value", ["", "   ", "\u200b", "\u00a0\u2003", "\u200e\u200f"])
def test_spaces_and_invisible_marks_are_not_visible(value):
    assert not visible(value)


@pytest.mark.parametrize("value", ["a", "5", "—", "😀", "ż"])
def test_letters_digits_and_symbols_are_visible(value):
    assert visible(value)


@pytest.mark.parametrize(("value", "found"), [("a\x00b", "\x00"), ("x \ud800", "\ud800"), ("bell\x07", "\x07")])
def test_nul_control_codes_and_lone_surrogates_are_unwritable(value, found):
    assert unwritable(value) == found


def test_tabs_and_newlines_are_only_whitespace():
    assert unwritable("a\tb\r\nc") is None


def test_required_words_refuse_blank_with_the_rule_and_field():
    assert required_words(" Sąsiedzi   razem ", field="title", message="Podaj tytuł.") == "Sąsiedzi razem"
    with pytest.raises(RuleBroken) as refused:
        required_words(" \u200b ", field="title", message="Podaj tytuł.", rule="reason_required")
    assert (refused.value.field, refused.value.rule, refused.value.message) == ("title", "reason_required", "Podaj tytuł.")


def _errors(data: dict) -> dict:
    with pytest.raises(ValidationError) as refused:
        Named().load(data)
    return refused.value.messages


def test_the_api_reads_text_as_words():
    assert Named().load({"name": "  Ala \n ma  "}) == {"name": "Ala ma", "note": ""}


@pytest.mark.parametrize("blank", ["", "   ", "\n\t", "\u200b"])
def test_the_api_refuses_blank_required_text_by_field(blank):
    assert _errors({"name": blank}) == {"name": ["Podaj tekst: same spacje lub niewidoczne znaki nie wystarczą."]}


def test_optional_text_may_be_empty_but_not_invisible():
    assert Named().load({"name": "x", "note": "   "})["note"] == ""
    assert "note" in _errors({"name": "x", "note": "\u200b"})


@pytest.mark.parametrize(("value", "code"), [("a\x00", "U+0000"), ("x \ud800", "U+D800"), ("\x1b[31m", "U+001B")])
def test_the_api_refuses_unwritable_characters_naming_them(value, code):
    (message,) = _errors({"name": value})["name"]
    assert code in message and message.startswith("Tekst zawiera niedozwolony znak")


def test_length_counts_the_words_kept():
    assert Named().load({"name": "a" + " " * 50 + "b"})["name"] == "a b"
    assert _errors({"name": "a" * 11}) == {"name": ["Tekst może mieć najwyżej 10 znaków."]}
