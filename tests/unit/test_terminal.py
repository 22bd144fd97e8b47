"""Stored text printed on a terminal: control characters shown as escapes (issue 30, finding 4)."""

from __future__ import annotations

import dataclasses
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


def _unobeyed(printed: str) -> list[str]:
    return [c for c in printed if c != "\n" and not c.isprintable()]


def _parked():
    from infra.messaging.parked import Parked

    return Parked(topic="applications.dlq", partition=0, offset=7, timestamp_ms=1_633_082_400_000,
                  consumer="reporting\x1b[2K\r", reason=FORGED, original_topic="applications\x1b]0;x\x07",
                  original_partition=1, original_offset=42, key=b"k\x1b[1A",
                  value=b'{"id": "e-1", "data": {"name": "' + FORGED.encode("unicode_escape") + b'"}}')


def test_the_parked_messages_are_listed_shown_and_redriven_with_their_stored_control_characters_escaped():
    from ochotnicy import dlq

    message = _parked()
    outputs = []
    for as_json in (False, True):
        out = io.StringIO()
        dlq.print_list([(message, dlq.WAITING)], as_json, out)
        outputs.append(out.getvalue())
    assert json.loads(outputs[1])[0]["reason"] == FORGED  # the JSON still reads back as what was stored
    for printed_raw in (message.value, b"not json \x1b[2K\r\x9b"):
        out = io.StringIO()
        dlq.print_one(dataclasses.replace(message, value=printed_raw), dlq.WAITING, out)
        outputs.append(out.getvalue())
    out = io.StringIO()
    dlq.print_outcomes([(message, f"nadal nieczytelna: {FORGED}")], out)
    outputs.append(out.getvalue())
    for printed in outputs:
        assert _unobeyed(printed) == [], printed
        assert "\\u001b[2K" in printed or "\\u001b[1A" in printed


def test_the_operators_status_prints_stored_names_and_errors_escaped_as_a_table_and_as_json():
    from collections import Counter

    from ochotnicy import ops

    found = {
        "services": {"funding": {"database": f"niedostępna: {FORGED}"}},
        "broker": "ok",
        "consumers": {"reporting\x1b[2K": {"service": "reporting", "lag": 3, "by_topic": {"applications": 3}}},
        "dead_letters": {"applications.dlq": {"parked": 1, "waiting": Counter({FORGED: 1}),
                                              "by_consumer": Counter({FORGED: 1})}},
    }
    for as_json in (False, True):
        out = io.StringIO()
        ops.print_status(found, as_json, out)
        assert _unobeyed(out.getvalue()) == [], as_json
        assert "\\u001b[2K" in out.getvalue()
    assert json.loads(out.getvalue())["services"]["funding"]["database"] == f"niedostępna: {FORGED}"
