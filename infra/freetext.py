"""Free text as events keep it: words joined by single spaces, NFC, at least one visible character, nothing forbidden."""

from __future__ import annotations

import unicodedata

from infra.errors import RuleBroken

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text around them on screen,
so "gpj.exe" can show as "exe.jpg"; nobody types them into a name or a reason."""
BOM = "\ufeff"


def words(value: str | None) -> str:
    """The text in NFC with every run of whitespace (newlines too) made one space, none at the ends."""
    # NFC: "ż" typed as one character or as "z" and a combining dot is stored, and compared, as the same text.
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


BLANK_LETTERS = frozenset(chr(c) for c in (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F,
                                            0x2800, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))
"""Characters that show nothing though Unicode files them as letters or marks, not as format characters: the
combining grapheme joiner, the Hangul and Khmer fillers, variation selectors, the blank Braille pattern. "Biblioteka"
with a variation selector after it was a second name, and a Hangul filler alone a name that shows as blank."""


def _blank(c: str) -> bool:
    return unicodedata.category(c)[0] in "ZC" or c in BLANK_LETTERS


def visible(value: str) -> bool:
    """Whether any character shows on screen: not only spaces and invisible characters such as U+200B or U+3164."""
    return not all(_blank(c) for c in value)


def _noncharacter(c: str) -> bool:
    """U+FDD0–U+FDEF and the last two code points of every plane: Unicode's own, never for interchange."""
    return 0xFDD0 <= ord(c) <= 0xFDEF or (ord(c) & 0xFFFE) == 0xFFFE


def forbidden(value: str) -> tuple[str, str] | None:
    """The first character text may not carry, with what it is in Polish (None: there is none)."""
    if value.lstrip().startswith(BOM):
        return BOM, "znacznik kolejności bajtów (BOM) na początku tekstu"
    for c in value:
        if c in "\t\n\r":
            continue
        category = unicodedata.category(c)
        if category == "Cc":
            return c, "znak sterujący"
        if category == "Cs":
            return c, "uszkodzony znak Unicode"
        if c in BIDI_CONTROLS:
            return c, "znak zmieniający kierunek tekstu"
        if _noncharacter(c):
            return c, "kod Unicode, który nie jest znakiem"
    return None


LOOKALIKES = str.maketrans("авекмнорстухѕіјһԁӏԛԝ" "αβεζηικμνορτυχ", "abekmhopctyxsijhdlqw" "abezhikmnoptyx")
"""Cyrillic and Greek letters that are drawn as a Latin one (Unicode's confusables), in lower case: "Вiblioteka" with a
Cyrillic В is "Biblioteka" to anyone reading it. The lower case of a capital look-alike (в of В) maps too, as names
compare whatever their case. Only for comparing: a name keeps its letters."""


def folded(value: str) -> str:
    """What two texts must differ in to be two names: NFKC, case folded, Latin look-alikes as Latin, nothing that
    shows nothing, spaces as one."""
    # NFKC makes fullwidth "Ｗｏｌａ" and ligatures plain letters. Letters are taken apart first (NFKD), so a Cyrillic
    # "о" with an acute composes into the Polish "ó" again at the end, and casefold() may undo a composition anyway.
    # Format characters (U+200B–U+200D, U+2060, U+FEFF, soft hyphens, direction marks) and blank letters show nothing
    # and drop out.
    latin = unicodedata.normalize("NFKD", value).casefold().translate(LOOKALIKES)
    compatible = unicodedata.normalize("NFKC", latin)
    return " ".join("".join(c for c in compatible if unicodedata.category(c) != "Cf" and c not in BLANK_LETTERS).split())


def required_words(value: str | None, *, field: str, message: str, rule: str = "text_required") -> str:
    """`words(value)`, refused with `message` when nothing visible is left or a character is forbidden."""
    text = words(value)
    if not visible(text) or forbidden(text):
        raise RuleBroken(message, rule=rule, field=field)
    return text
