"""Stored text printed on a terminal: control characters shown as escapes (issue 30, finding 4)."""

from __future__ import annotations

import io
import json

from infra.terminal import shown
from ochotnicy import audit

FORGED = "anna\x1b[2K\r\x1b[1A     7  2021-10-01 FundingGranted\u202etxt.exe\x9b31m\x7f\u2028"


def test_every_character_a_terminal_would_obey_is_escaped_and_polish_text_stays_as_it_is():
    assert shown("Zażółć gęślą jaźń – „Włochy” 12\u00a0345") == "Zażółć gęślą jaźń – „Włochy” 12\u00a0345"
    assert shown(FORGED) == ("anna\\u001b[2K\\u000d\\u001b[1A     7  2021-10-01 FundingGranted\\u202etxt.exe"
                             "\\u009b31m\\u007f\\u2028")
    assert shown("a\nb\x1b", keep="\n") == "a\nb\\u001b"
    assert shown("\U000e0041") == "\\udb40\\udc41"  # a tag character, as JSON writes it


def test_json_escaped_so_reads_back_as_the_same_text():
    text = json.dumps({"actor": FORGED}, ensure_ascii=False, indent=2)
    printed = shown(text, keep="\n")
    assert json.loads(printed) == {"actor": FORGED}
    assert not [c for c in printed if c != "\n" and not c.isprintable()]


def test_the_audit_history_prints_stored_control_characters_escaped_as_a_table_and_as_json():
    entries = [{"service": "funding", "sequence": 1, "time": "2021-10-01T10:00:00+00:00", "type": "FundingGranted",
                "actor": FORGED, "correlation_id": None, "data": {"reason\x1b]0;": FORGED}}]
    for as_json in (False, True):
        out = io.StringIO()
        audit.print_history(entries, as_json, out)
        printed = out.getvalue()
        assert not [c for c in printed if c != "\n" and not c.isprintable()], as_json
        assert "\\u001b[2K" in printed
    assert json.loads(out.getvalue())[0]["actor"] == FORGED
