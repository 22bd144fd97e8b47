"""Hostile text: what a careless or malicious client types into a name, a title or a reason (issue 30).

Each variant is made from an ordinary Polish name and says what the services must make of it: the same name once
folded (a second one in a district is a 409), text no field may carry (never accepted), or merely odd (any answer
but a 5xx).
"""

from __future__ import annotations

import dataclasses
import string
import unicodedata

BASE = "Biblioteka Żoliborz Centrum"
"""An ordinary name to make hostile text from: Latin letters, a Polish one, spaces."""
SAME = "same"
"""Folds to the name it was made from."""
REFUSED = "refused"
"""A character no text may carry, or nothing visible: refused by field."""
ANY = "any"
"""Odd, too long, or another name: any answer but a 5xx."""

CYRILLIC = str.maketrans("aeopcxiyABEHKMOPCTX", "аеорсхіуАВЕНКМОРСТХ")
FULLWIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits})
DIRECTION = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates."""


@dataclasses.dataclass(frozen=True)
class Hostile:
    kind: str
    text: str
    expect: str


def _inside(base: str, inserted: str) -> str:
    middle = len(base) // 2
    return base[:middle] + inserted + base[middle:]


def _look_alikes(base: str) -> dict[str, str]:
    return {
        "combining marks instead of precomposed letters": unicodedata.normalize("NFD", base),
        "zero-width space": _inside(base, "\u200b"),
        "zero-width joiner, non-joiner and word joiner": base.replace(" ", "\u200d \u200c", 1) + "\u2060",
        "soft hyphen": _inside(base, "\u00ad"),
        "fullwidth forms": base.translate(FULLWIDTH),
        "Cyrillic look-alikes": base.translate(CYRILLIC),
        "Greek omicron": base.replace("o", "\u03bf"),
        "upper case, tabs and newlines": "\t" + base.upper().replace(" ", " \n\r\t ") + "  ",
        "no-break and ideographic spaces": base.replace(" ", "\u00a0", 1).replace(" ", "\u3000"),
        "variation selector": base + "\ufe0f",
        "combining grapheme joiner and Hangul filler": _inside(base, "\u034f") + "\u3164",
        "a tag character": base + "\U000e0041",
    }


def _forbidden(base: str) -> dict[str, str]:
    found = {f"direction control U+{c:04X}": _inside(base, chr(c)) for c in DIRECTION}
    found |= {
        "leading byte-order mark": "\ufeff" + base,
        "byte-order mark after spaces": "  \ufeff" + base,
        "noncharacter U+FDD0": _inside(base, "\ufdd0"),
        "noncharacter U+FFFE": base + "\ufffe",
        "noncharacter U+1FFFF": base + "\U0001ffff",
        "NUL": _inside(base, "\x00"),
        "an escape sequence": base + "\x1b[2K\r\x1b[1A",
        "DEL": base + "\x7f",
        "C1 controls (CSI, NEL)": _inside(base, "\x9b31m\x85"),
        "a lone surrogate": base + "\ud800",
        "nothing visible": "\u200b\u3164\u2060\ufe0f",
        "only whitespace": " \t\n\u3000 ",
    }
    return found


def _odd(base: str) -> dict[str, str]:
    return {
        "very long": base + " " + "ż" * 5000,
        "300 000 characters": "a" * 300_000,
        "a flood of combining marks": base + "\u0301" * 300,
        "right-to-left letters": base + " \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
        "an emoji sequence": base + " \U0001f469\u200d\U0001f469\u200d\U0001f467",
        "Cyrillic words": "\u0411\u0456\u0431\u043b\u0456\u043e\u0442\u0435\u043a\u0430 " + base,
        "one digit": "0",
        "markup and quotes": f"<script>alert(1)</script> \"{base}' --",
    }


def variants(base: str) -> list[Hostile]:
    """Every class of hostile text made from `base` (Latin letters with a Polish one, and spaces)."""
    return ([Hostile(k, t, SAME) for k, t in _look_alikes(base).items()]
            + [Hostile(k, t, REFUSED) for k, t in _forbidden(base).items()]
            + [Hostile(k, t, ANY) for k, t in _odd(base).items()])
