"""A membership's certificate (PDF, read back as text) and everything held about a person (JSON), on a real database."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from infra.eventstore.sql import SqlEventStore
from services.volunteers import access, keystore, story
from services.volunteers.domain.events import REGISTRY
from services.volunteers.domain.personal import FIELDS
from services.volunteers.readmodel import metadata as read_model
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import person

NAME = {"first_name": "Zażółć", "last_name": "Gęślą-Jaźń"}
POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/pdf" and response.get_data().startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(response.get_data())).pages
    assert len(pages) == 1
    return " ".join(pages[0].extract_text().split())  # lines as wrapped on the page, read as one text


def logged(client, volunteer_id: str) -> list[str]:
    return [e["action"] for e in reversed(client.as_("audit").get(
        f"/api/v1/personal-data-access?volunteer_id={volunteer_id}").get_json())]


@pytest.fixture
def worked(staff, known):
    """(volunteer, membership): joined on 1 October 2021, left on 31 December; October and November approved, December
    declined, another membership of the same person in another institution."""
    volunteer = register(staff, **NAME, birth_date="2001-03-04")
    membership = join(staff, volunteer["id"], known, joined_on="2021-10-01", agreement_signed_on="2021-10-01",
                      accident_insurance=True).get_json()
    join(staff, volunteer["id"], known, institution_id=known.other_institution_id, joined_on="2021-11-15")
    path = f"{API}/{volunteer['id']}"
    for month, hours in (("2021-10", "12.5"), ("2021-11", "25"), ("2021-12", "7")):
        entry = staff.post(f"{path}/memberships/{membership['id']}/hours",
                           json={"month": month, "hours": hours, "activity": "Głośne czytanie"}).get_json()
        decision = ("decline", {"reason": "Tego miesiąca nie było zajęć."}) if month == "2021-12" else ("approve", {})
        assert staff.post(f"{path}/hours/{entry['id']}/{decision[0]}", json=decision[1]).status_code == 200
    assert staff.post(f"{path}/memberships/{membership['id']}/leave", json={"left_on": "2021-12-31"}).status_code == 200
    return volunteer, membership


def test_the_certificate_names_the_person_the_institution_the_period_and_the_approved_hours_in_polish(staff, worked):
    volunteer, membership = worked
    answer = staff.get(f"{API}/{volunteer['id']}/certificate?membership_id={membership['id']}")
    text = pdf_text(answer)
    assert "ZAŚWIADCZENIE" in text and "o wykonywaniu świadczeń wolontariusza" in text
    assert "Zażółć Gęślą-Jaźń" in text and "urodzony(a) 4 marca 2001 r." in text
    assert "„Biblioteka Publiczna Wola”" in text and "Partnerstwa 2021 – tura jesienna" in text
    assert "od 1 października 2021 r. do 31 grudnia 2021 r." in text
    assert "październik 2021 12,5 h" in text and "listopad 2021 25 h" in text and "Łącznie 37,5 h" in text
    assert "grudzień 2021" not in text, "a declined month is no volunteering to certify"
    assert all(letter in text for letter in POLISH[:9]), "every Polish letter of the name renders as itself"
    assert "Zażółć" not in answer.headers["Content-Disposition"]  # the file's name holds no one's name
    assert answer.headers["Cache-Control"] == "no-store"
    assert logged(staff, volunteer["id"])[-1] == access.CERTIFICATE


def test_a_certificate_is_for_volunteers_write_of_the_persons_own_membership_and_not_after_erasure(staff, known, worked):
    volunteer, membership = worked
    path = f"{API}/{volunteer['id']}/certificate"
    assert staff.as_("reporting:read").get(f"{path}?membership_id={membership['id']}").status_code == 403
    assert staff.get(path).status_code == 422  # which membership: required
    other = register(staff)
    assert staff.get(f"{API}/{other['id']}/certificate?membership_id={membership['id']}").status_code == 404
    ongoing = join(staff, other["id"], known, joined_on="2021-10-04").get_json()
    text = pdf_text(staff.get(f"{API}/{other['id']}/certificate?membership_id={ongoing['id']}"))
    assert "do dziś" in text and "nie zatwierdzono jeszcze godzin" in text
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    refused = staff.get(f"{path}?membership_id={membership['id']}")
    assert refused.status_code == 409 and refused.get_json()["rule"] == "volunteer_erased"


def _plain(value):
    """A stored value as the export's JSON gives it."""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def test_the_export_holds_every_stored_field_of_every_row_and_event_about_the_person(staff, worked, volunteers):
    service = volunteers[0]
    volunteer, _ = worked
    etag = staff.get(f"{API}/{volunteer['id']}").headers["ETag"]
    assert staff.patch(f"{API}/{volunteer['id']}", json={"last_name": "Jaźń", "phone": "+48 600 700 800"},
                       headers={"If-Match": etag}).status_code == 200
    answer = staff.get(f"{API}/{volunteer['id']}/export")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    exported = answer.get_json()
    assert exported["format"] == "ochotnicy/volunteer-export/v1"

    with service.read() as session:
        cipher = keystore.cipher(session, volunteer["id"])
        # Every table of the read model about the person: their row, and each table keyed by volunteer_id.
        about = {t.name: t for t in read_model.sorted_tables if "volunteer_id" in t.c}
        assert set(about) == {"memberships", "hours_entries"}, "a new table about people: export it, then name it here"
        rows = {name: [dict(r._mapping) for r in session.execute(select(t).where(t.c.volunteer_id == volunteer["id"]))]
                for name, t in about.items()}
        [own] = session.execute(select(read_model.tables["volunteers"]).where(
            read_model.tables["volunteers"].c.id == volunteer["id"])).all()
        log = [dict(r) for r in access.of(session, volunteer["id"], limit=None)]
        records = SqlEventStore(session, "volunteers").load(volunteer["id"])

    person = exported["volunteer"]
    # Personal columns are sealed at rest: the export has them opened.
    opened = story.shown("VolunteerRectified", {c: v for c, v in own._mapping.items() if c in FIELDS}, cipher)
    for column, value in own._mapping.items():
        assert person[column] == (opened[column] if column in FIELDS else _plain(value)), column
    assert (person["first_name"], person["last_name"], person["phone"]) == ("Zażółć", "Jaźń", "+48 600 700 800")
    for name, key in (("memberships", "memberships"), ("hours_entries", "hours")):
        assert len(rows[name]) == len(exported[key]) > 0
        by_id = {item["id"]: item for item in exported[key]}
        for row in rows[name]:
            assert {c: by_id[row["id"]].get(c, "<missing>") for c in row} == {c: _plain(v) for c, v in row.items()}, name
    declined = [h for h in exported["hours"] if h["status"] == "declined"]
    assert [h["reason"] for h in declined] == ["Tego miesiąca nie było zajęć."]
    assert [(e["actor"], e["action"], e["at"]) for e in exported["access"]] == [
        (e["actor"], e["action"], _plain(e["at"])) for e in reversed(log[1:])]  # all but the export itself, oldest first

    # Every event about the person, each field as it was recorded (personal ones opened), at its time, by whom.
    assert [e["sequence"] for e in exported["history"]] == [r.version for r in records]
    for entry, record in zip(exported["history"], records):
        assert (entry["type"], entry["time"], entry["actor"]) == (record.type, _plain(record.occurred_at), record.meta["actor"])
        assert entry["data"] == story.shown(record.type, record.data, cipher)
        assert set(entry["data"]) == set(record.data)
    naming = {spec.type for spec in REGISTRY.specs() if "volunteer_id" in {f.name for f in dataclasses.fields(spec.cls)}}
    assert naming - {e["type"] for e in exported["history"]} == {"VolunteerErased"}, "every kind of event is exported"
    [correction] = [e for e in exported["history"] if e["type"] == "VolunteerRectified"]
    assert correction["changes"] == {"last_name": {"from": "Gęślą-Jaźń", "to": "Jaźń"},
                                     "phone": {"from": "+48 601 234 567", "to": "+48 600 700 800"}}
    assert logged(staff, volunteer["id"])[-1] == access.EXPORTED


def test_the_export_is_for_volunteers_write_and_after_erasure_holds_nothing_personal(staff):
    volunteer = register(staff, **person(phone="+48 601 234 567"))
    assert staff.as_("reporting:read").get(f"{API}/{volunteer['id']}/export").status_code == 403
    assert staff.get(f"{API}/00000000-0000-4000-8000-000000000000/export").status_code == 404
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    exported = staff.get(f"{API}/{volunteer['id']}/export").get_json()
    assert exported["volunteer"]["erased"] is True and exported["volunteer"]["email"] is None
    assert "601 234 567" not in str(exported) and volunteer["email"] not in str(exported)
    assert exported["history"][0]["data"]["email"] == story.ERASED
    assert logged(staff, volunteer["id"])[-1] == access.ERASED  # nothing personal was given out: nothing to log
