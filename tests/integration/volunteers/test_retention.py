"""Retention on a real database, with the day set by the test: whose last membership ended too long ago (or who
registered that long ago and never joined) is listed, then erased through the erasure's own handler, logged as the
retention's and written to the erasure ledger."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys

import pytest
import sqlalchemy as sa

from ochotnicy import volunteers as cli
from services.volunteers import access, readmodel, retention
from services.volunteers.ledger import Ledger
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import WRITE, Known, edition_opened, institution_registered, learn, partners
from tests.support.apps import Client, service_app

DAY = datetime.date(2031, 7, 1)
"""The day the test runs the sweep on: five years back is 1 July 2026."""


@pytest.fixture
def fresh(databases, tmp_path):
    """Its own database and data folder: every person in it is this test's."""
    url = databases.create("retention")
    environ = {"OCHOTNICY_ENV": "local", "OCHOTNICY_VOLUNTEERS_DATABASE_URL": url, "OCHOTNICY_DATA_DIR": str(tmp_path)}
    service, app = service_app("volunteers", url, OCHOTNICY_DATA_DIR=str(tmp_path))
    institution, edition = institution_registered(), edition_opened()
    other = institution_registered(name="Dom Kultury Wola")
    learn(service, institution, other, edition, partners(edition, institution, other))
    return service, Client(app, WRITE), Known(institution.institution_id, other.institution_id, edition.edition_id, "", ""), environ


def member(staff, known, *spells) -> str:
    """A volunteer with a membership for each (joined, left or None) in `spells`."""
    volunteer = register(staff)["id"]
    for n, (joined, left) in enumerate(spells):
        place = known.institution_id if n % 2 == 0 else known.other_institution_id
        membership = join(staff, volunteer, known, institution_id=place, joined_on=joined)
        assert membership.status_code == 201, membership.get_json()
        if left:
            path = f"{API}/{volunteer}/memberships/{membership.get_json()['id']}/leave"
            assert staff.post(path, json={"left_on": left}).status_code == 200
    return volunteer


def test_whose_last_membership_ended_over_five_years_ago_is_listed_then_erased_as_the_retentions(fresh, tmp_path):
    service, staff, known, environ = fresh
    gone = member(staff, known, ("2019-03-01", "2026-06-30"))
    member(staff, known, ("2019-03-01", "2026-07-01"))  # exactly five years: not yet
    member(staff, known, ("2015-03-01", "2020-05-31"), ("2021-03-01", None))  # one goes on
    member(staff, known, ("2015-03-01", "2020-05-31"), ("2021-03-01", "2026-08-31"))  # the last ended too recently
    erased = member(staff, known, ("2015-03-01", "2020-05-31"))
    assert staff.delete(f"{API}/{erased}").status_code == 204
    register(staff)  # never joined, registered today: not yet
    lonely = register(staff)["id"]  # never joined, registered long ago (its read model row says so)
    with service.runtime.engine.begin() as connection:
        connection.execute(sa.update(readmodel.volunteers).where(readmodel.volunteers.c.id == lonely)
                           .values(registered_at=datetime.datetime(2020, 1, 15, 9, 30, tzinfo=datetime.UTC)))

    with service.read() as session:
        assert retention.due(session, retention.cutoff(DAY, 5)) == [
            retention.Due(lonely, datetime.date(2020, 1, 15), joined=False), retention.Due(gone, datetime.date(2026, 6, 30))]
    printed = io.StringIO()
    assert cli.sweep(True, printed, environ, today=DAY) == 0
    assert printed.getvalue().splitlines() == [
        "Okres przechowywania: 5 lat od końca ostatniego członkostwa, a bez członkostwa od rejestracji (do usunięcia: "
        "zakończone przed 01.07.2026).",
        f"  {lonely}  zarejestrowana 15.01.2020, bez członkostwa",
        f"  {gone}  ostatnie członkostwo zakończone 30.06.2026",
        "Do usunięcia: 2 osoby. Próba (--dry-run): niczego nie usunięto.",
    ]
    assert staff.get(f"{API}/{gone}").get_json()["erased"] is False

    printed = io.StringIO()
    assert cli.sweep(False, printed, environ, today=DAY) == 0
    assert printed.getvalue().splitlines()[-1] == "Usunięto dane osobowe: 2 osoby."
    shown = staff.get(f"{API}/{gone}").get_json()
    assert shown["erased"] is True and shown["email"] is None
    with service.read() as session:
        [last] = access.of(session, gone, limit=1)
        assert retention.due(session, retention.cutoff(DAY, 5)) == []
    assert (last["actor"], last["action"]) == (retention.ACTOR, access.ERASED)
    assert staff.get(f"{API}/{lonely}").get_json()["erased"] is True
    assert Ledger(tmp_path / "erasure-ledger.jsonl").ids() == [erased, lonely, gone]

    printed = io.StringIO()
    assert cli.sweep(False, printed, environ | {"OCHOTNICY_RETENTION_YEARS": "1"}, today=DAY) == 0
    # a year: the two who ended in 2026 and the one registered in 2026 who never joined, not the active one
    assert "Usunięto dane osobowe: 3 osoby." in printed.getvalue()


def test_the_command_line_lists_whom_it_would_erase_without_erasing(fresh):
    service, staff, known, environ = fresh
    gone = member(staff, known, ("2015-03-01", "2019-06-30"))  # more than five years before any day this runs on
    done = subprocess.run([sys.executable, "-m", "ochotnicy.cli", "volunteers", "retention", "--dry-run"],
                          env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"  {gone}  ostatnie członkostwo zakończone 30.06.2019" in done.stdout and "1 osoba" in done.stdout
    assert staff.get(f"{API}/{gone}").get_json()["erased"] is False
