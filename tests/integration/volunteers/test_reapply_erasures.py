"""A restore brings an erased person's key back; the erasure ledger, kept outside the database, erases them again.

On PostgreSQL with a real `pg_dump` and `pg_restore`; without them, the backup is a copy of the SQLite file.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from infra.eventstore.tables import idempotency_keys
from ochotnicy import volunteers as cli
from services.volunteers import access, keystore, retention
from tests.integration.volunteers.api import API
from tests.integration.volunteers.conftest import WRITE, person
from tests.support.apps import Client, service_app


def backup(url: str, tmp_path) -> str:
    """A backup of the database, restored into a new one as an operator would: the new database's URL."""
    if url.startswith("sqlite"):
        copy = tmp_path / "restored.sqlite3"
        shutil.copy(make_url(url).database, copy)  # the service keeps no transaction open: the file is whole
        return f"sqlite:///{copy}"
    plain = make_url(url).set(drivername="postgresql")
    dump = tmp_path / "volunteers.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", plain.render_as_string(hide_password=False)],
                   check=True, capture_output=True, timeout=120)
    return str(dump)


def restore(dump: str, databases) -> str:
    if not dump.endswith(".dump"):
        return dump
    url = databases.create("restored")
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", dump], check=True, capture_output=True, timeout=120)
    return url


@pytest.fixture
def tools(databases):
    if databases.postgres and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("PostgreSQL without pg_dump and pg_restore here")


def test_after_a_restore_every_erased_person_whose_key_came_back_is_erased_again(databases, tmp_path, tools):
    url = databases.create("before_restore")
    service, app = service_app("volunteers", url, OCHOTNICY_DATA_DIR=str(tmp_path))
    staff = Client(app, WRITE)
    erased = staff.post(API, json=person(first_name="Zażółć"), headers={"Idempotency-Key": "rejestracja"}).get_json()
    kept = staff.post(API, json=person()).get_json()
    dump = backup(url, tmp_path)  # the night's backup: both people readable
    assert staff.delete(f"{API}/{erased['id']}").status_code == 204
    service.runtime.engine.dispose()

    restored_url = restore(dump, databases)
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_VOLUNTEERS_DATABASE_URL": restored_url,
               "OCHOTNICY_DATA_DIR": str(tmp_path)}  # the same ledger: it was never in the database
    restored, restored_app = service_app("volunteers", restored_url, OCHOTNICY_DATA_DIR=str(tmp_path))
    reader = Client(restored_app, WRITE)
    assert reader.get(f"{API}/{erased['id']}").get_json()["first_name"] == "Zażółć", "the restore brought the data back"

    printed = io.StringIO()
    assert cli.reapply(printed, environ) == 0
    assert printed.getvalue().splitlines() == [
        f"Rejestr usunięć ({tmp_path / 'erasure-ledger.jsonl'}): usunięto ponownie dane osób, których klucz wrócił z "
        "kopii: 1 osoba.", f"  {erased['id']}"]
    shown = reader.get(f"{API}/{erased['id']}").get_json()
    assert shown["erased"] is True and shown["first_name"] is None
    assert reader.get(f"{API}/{kept['id']}").get_json()["email"] == kept["email"]
    with restored.read() as session:
        assert keystore.cipher(session, erased["id"]) is None
        [last] = access.of(session, erased["id"], limit=1)
        answer = session.execute(select(idempotency_keys.c.request_hash, idempotency_keys.c.body)
                                  .where(idempotency_keys.c.key == "rejestracja")).one()
        erasures = session.execute(text("SELECT count(*) FROM events WHERE type = 'VolunteerErased'")).scalar()
    assert (last["actor"], last["action"]) == (retention.REAPPLIED, access.ERASED)
    assert tuple(answer) == ("forgotten", None)
    assert erasures == 1

    printed = io.StringIO()
    assert cli.reapply(printed, environ) == 0  # once more: nothing is back any longer
    assert printed.getvalue().splitlines()[-1].endswith("wrócił z kopii: 0 osób.")
