"""The erasure ledger: one line per erasure, appended, read back once per id; the handler writes it first."""

from __future__ import annotations

import datetime

from services.volunteers.commands import EraseVolunteer
from services.volunteers.ledger import Ledger

AT = datetime.datetime(2021, 10, 1, 12, tzinfo=datetime.timezone.utc)


def test_the_ledger_appends_one_line_per_erasure_and_reads_each_id_once_in_order(tmp_path):
    ledger = Ledger(tmp_path / "deep" / "erasures.jsonl")
    assert ledger.ids() == []
    for volunteer_id in ("b", "a", "b"):
        ledger.write(volunteer_id, AT)
    assert ledger.ids() == ["b", "a"]
    lines = ledger.path.read_text().splitlines()
    assert lines[0] == '{"volunteer_id":"b","erased_at":"2021-10-01T12:00:00+00:00"}'
    assert oct(ledger.path.stat().st_mode)[-3:] == "600"


def test_a_line_torn_by_a_crash_is_skipped(tmp_path):
    ledger = Ledger(tmp_path / "erasures.jsonl")
    ledger.write("a", AT)
    with ledger.path.open("ab") as torn:
        torn.write(b'{"volunteer_id": "b", "era')
    assert ledger.ids() == ["a"]


def test_an_erasure_is_written_to_the_ledger_once(world):
    volunteer_id = world.registered()
    world.run(EraseVolunteer(volunteer_id))
    world.run(EraseVolunteer(volunteer_id))
    assert world.facts.ledger == [volunteer_id]
