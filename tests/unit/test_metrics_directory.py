"""The multi-process metrics directory is emptied at start, unless another live process of the service writes there."""

from __future__ import annotations

from infra import metrics


def _stale(folder) -> list[str]:
    return sorted(path.name for path in folder.glob("*.db"))


def test_a_start_with_nobody_else_running_removes_the_files_of_earlier_processes(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"x")
    (folder / "gauge_livesum_4243.db").write_bytes(b"x")
    claim = metrics.claim_directory(str(folder))
    try:
        assert _stale(folder) == []
    finally:
        claim.close()


def test_the_directory_is_made_when_missing(tmp_path):
    metrics.claim_directory(str(tmp_path / "a" / "metrics")).close()
    assert (tmp_path / "a" / "metrics").is_dir()


def test_a_second_process_starting_beside_a_running_one_keeps_its_files_and_the_next_lone_start_wipes(tmp_path):
    folder = tmp_path / "metrics"
    web = metrics.claim_directory(str(folder))  # the web process, running
    (folder / "counter_100.db").write_bytes(b"the web's counters")
    worker = metrics.claim_directory(str(folder))  # the worker starts beside it
    assert _stale(folder) == ["counter_100.db"]
    web.close()
    worker.close()  # both gone (a crash drops the lock the same way)
    metrics.claim_directory(str(folder)).close()
    assert _stale(folder) == []


def test_a_process_that_started_last_still_protects_the_files_after_the_first_one_ends(tmp_path):
    folder = tmp_path / "metrics"
    first = metrics.claim_directory(str(folder))
    second = metrics.claim_directory(str(folder))
    first.close()
    (folder / "counter_200.db").write_bytes(b"the second's counters")
    metrics.claim_directory(str(folder)).close()  # a restart of the first while the second runs
    assert _stale(folder) == ["counter_200.db"]
    second.close()
