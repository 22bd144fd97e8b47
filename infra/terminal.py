"""Stored text printed on a terminal: its control characters shown as escapes, never obeyed.

A name, a token's subject or a reason typed by anyone may carry an escape sequence (ESC, CSI), a carriage return or
a bidirectional override; printed raw, it would move the cursor, rewrite or hide lines, or forge a line on an
auditor's screen. `shown` writes each such character as `\\uXXXX`, which also reads back as the same character inside
JSON (whose own escaping already covers C0 but not DEL, C1 or the format characters).
"""

from __future__ import annotations

import json
import unicodedata

_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
"""Control and format characters (bidi overrides, zero-width ones), lone surrogates, line and paragraph separators."""


def shown(text: str, keep: str = "") -> str:
    """`text` with every character that a terminal could obey written as `\\uXXXX`; those in `keep` stay as they are."""
    if text.isprintable() and not keep:
        return text  # the common case, at C speed (isprintable is False for every character escaped below)
    return "".join(_escape(c) if c not in keep and unicodedata.category(c) in _UNSAFE else c for c in text)


def _escape(character: str) -> str:
    code = ord(character)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # as JSON writes it: a UTF-16 surrogate pair (a tag character, U+E0001 on)
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def say(text: str, out=None) -> None:
    """Prints one line of a command's output with whatever stored text it holds escaped (`shown`)."""
    print(shown(text), file=out)


def shown_json(document) -> str:
    """`document` as indented JSON whose strings show their control characters escaped, the layout's newlines kept."""
    # JSON escapes C0 itself; DEL, C1 and format characters it leaves raw (its own newlines are the layout).
    return shown(json.dumps(document, ensure_ascii=False, indent=2, default=str), keep="\n")
