"""Free text as events keep it: words joined by single spaces, at least one visible character, nothing unwritable."""

from __future__ import annotations

import unicodedata

from infra.errors import RuleBroken


def words(value: str | None) -> str:
    """The text with every run of whitespace (newlines too) made one space, none at the ends."""
    return " ".join((value or "").split())


def visible(value: str) -> bool:
    """Whether any character shows on screen: not only spaces and invisible marks such as U+200B."""
    return any(unicodedata.category(c)[0] not in "ZC" for c in value)


def unwritable(value: str) -> str | None:
    """The first character no database or UTF-8 document may hold (NUL, other control codes, lone surrogates)."""
    for c in value:
        if c in "\t\n\r":
            continue
        if unicodedata.category(c) in ("Cc", "Cs"):
            return c
    return None


def required_words(value: str | None, *, field: str, message: str, rule: str = "text_required") -> str:
    """`words(value)`, refused with `message` when nothing visible is left or a character cannot be stored."""
    text = words(value)
    if not visible(text) or unwritable(text):
        raise RuleBroken(message, rule=rule, field=field)
    return text
