"""Free text: what the API reads and the domain keeps is words with something visible, nothing unwritable."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from infra.errors import RuleBroken
from infra.freetext import folded, forbidden, required_words, visible, words
from infra.web import fields as f


class Named(f.Schema):
    name = f.text(max_length=10)
    note = f.text(required=False, load_default="")


def test_words_collapse_every_run_of_whitespace():
    assert words("  Biblioteka\n\tna   Woli ") == "Biblioteka na Woli"
    assert words(None) == ""


@pytest.mark.parametrize("value", ["", "   ", "\u200b", "\u00a0\u2003", "\u200e\u200f",
                                   "\u3164", "\u3164\u115f\uffa0", "\u2800", "\u034f\ufe0f"])  # blank letters
def test_spaces_and_invisible_marks_are_not_visible(value):
    assert not visible(value)


@pytest.mark.parametrize("value", ["a", "5", "—", "😀", "ż"])
def test_letters_digits_and_symbols_are_visible(value):
    assert visible(value)


@pytest.mark.parametrize(("value", "found"), [("a\x00b", "\x00"), ("x \ud800", "\ud800"), ("bell\x07", "\x07")])
def test_nul_control_codes_and_lone_surrogates_are_forbidden(value, found):
    assert forbidden(value)[0] == found


def test_tabs_and_newlines_are_only_whitespace():
    assert forbidden("a\tb\r\nc") is None


@pytest.mark.parametrize(("value", "found"), [
    *[(f"Biblioteka{chr(c)}", chr(c)) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))],  # bidi controls
    ("\ufeffBiblioteka", "\ufeff"), (" \ufeffBiblioteka", "\ufeff"),  # a byte-order mark in front
    *[(f"Biblioteka {chr(c)}", chr(c)) for c in (0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF)],  # noncharacters
])
def test_direction_controls_a_leading_byte_order_mark_and_noncharacters_are_forbidden(value, found):
    assert forbidden(value)[0] == found


@pytest.mark.parametrize("value", ["Bibliote\ufeffka", "Biblio\u200bteka", "\u05e9\u05dc\u05d5\u05dd", "\ufdcf\ufdf0"])
def test_a_byte_order_mark_inside_zero_width_and_right_to_left_letters_are_not(value):
    assert forbidden(value) is None


def test_text_is_kept_in_nfc():
    assert words("Bibliotek\u0061\u0328 na Woli") == "Bibliotek\u0105 na Woli"
    assert words("Dom Kultury Wola z\u0307") == "Dom Kultury Wola \u017c"


@pytest.mark.parametrize("spelling", [
    "Biblioteka na Woli \u017c",  # ż as one character
    "Biblioteka na Woli z\u0307",  # z and a combining dot above
    "BIBLIOTEKA  NA  WOLI \u017b",
    "Bib\u200blioteka na\u200d Woli \u2060\u017c\ufeff",  # zero-width space, joiner, word joiner, a BOM inside
    "\uff22\uff49\uff42\uff4c\uff49\uff4f\uff54\uff45\uff4b\uff41 na Woli \u017c",  # fullwidth letters
    "Biblioteka\u3000na Woli \u017c",  # an ideographic space
    "Biblio\u00adteka na Woli \u017c",  # a soft hyphen
    "Biblioteka na Woli \u017c\ufe0f",  # a variation selector
    "Biblio\u034fteka na\u3164 Woli \u017c",  # a combining grapheme joiner, a Hangul filler
])
def test_look_alike_names_fold_to_one(spelling):
    assert folded(spelling) == "biblioteka na woli \u017c"


@pytest.mark.parametrize("other", ["Biblioteka na Woli z", "Biblioteka na Woli \u017a", "Biblioteka na Woli"])
def test_names_that_differ_in_a_letter_do_not(other):
    assert folded(other) != folded("Biblioteka na Woli \u017c")


@pytest.mark.parametrize("spelling", [
    "Bibli\u043et\u0435k\u0430 na W\u043eli \u017c",  # Cyrillic о, е, а
    "\u0412IBLIOTEKA NA WOLI \u017b",  # a Cyrillic capital В, whose small в looks like nothing Latin
    "Biblioteka n\u0430 W\u041el\u0456 \u017c",  # Cyrillic а, a capital О, і
    "\u0392iblioteka na W\u03bfli \u017c",  # Greek capital Beta, small omicron
])
def test_cyrillic_and_greek_look_alikes_of_latin_letters_fold_to_them(spelling):
    assert folded(spelling) == "biblioteka na woli \u017c"


def test_a_look_alike_with_a_combining_accent_folds_to_the_polish_letter_and_cyrillic_names_keep_their_case_blindness():
    assert folded("Zielona G\u043e\u0301ra") == folded("Zielona G\u00f3ra") == "zielona g\u00f3ra"
    assert folded("Zielona G\u043e\u0301ra") != folded("Zielona Gora")
    assert folded("\u0424\u0443\u043d\u0434\u0430\u0446\u0456\u044f \u041d\u043e\u0432\u0430") == \
        folded("\u0424\u0423\u041d\u0414\u0410\u0426\u0406\u042f \u041d\u041e\u0412\u0410")  # Фундація Нова
    assert folded("\u0424\u0443\u043d\u0434\u0430\u0446\u0456\u044f") != folded("Fundacja")
    assert folded("Biblioteka Wola") != folded("Biblioteka Wo\u0142a")  # Polish ł is a letter, not a look-alike


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


@pytest.mark.parametrize(("value", "message"), [
    ("gpj.\u202eexe", "Tekst zawiera niedozwolony znak U+202E (znak zmieniający kierunek tekstu)."),
    ("\u2067Wola", "Tekst zawiera niedozwolony znak U+2067 (znak zmieniający kierunek tekstu)."),
    ("\ufeffWola", "Tekst zawiera niedozwolony znak U+FEFF (znacznik kolejności bajtów (BOM) na początku tekstu)."),
    ("Wola\uffff", "Tekst zawiera niedozwolony znak U+FFFF (kod Unicode, który nie jest znakiem)."),
])
def test_the_api_refuses_direction_controls_a_leading_bom_and_noncharacters_naming_them(value, message):
    assert _errors({"name": value}) == {"name": [message]}
    with pytest.raises(RuleBroken):
        required_words(value, field="name", message="Podaj nazwę.")


def test_the_api_reads_text_in_nfc():
    assert Named().load({"name": "Wola z\u0307"})["name"] == "Wola \u017c"


def test_length_counts_the_words_kept():
    assert Named().load({"name": "a" + " " * 50 + "b"})["name"] == "a b"
    assert _errors({"name": "a" * 11}) == {"name": ["Tekst może mieć najwyżej 10 znaków."]}
