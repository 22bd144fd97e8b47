"""The committed event catalogue is exactly what the contracts generate (run `make docs` after a change)."""

from pathlib import Path

from ochotnicy import docs

ROOT = Path(__file__).resolve().parents[2] / "docs" / "events"


def test_the_committed_catalogue_is_up_to_date():
    rendered = docs.render()
    committed = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in ROOT.rglob("*") if p.is_file()}
    stale = sorted(name for name in rendered.keys() | committed.keys() if rendered.get(name) != committed.get(name))
    assert not stale, f"run `make docs`: these differ from the contracts: {stale}"
