"""A volunteer joins an institution registered in the applications service (real processes, real Kafka)."""

from __future__ import annotations

import uuid

from contracts import topics
from tests.support.topics import read_topic
from tests.support.waiting import wait_until


def test_a_volunteer_joins_an_institution_known_from_applications_and_the_topic_carries_no_personal_data(
    live, broker, tmp_path
):
    marker = uuid.uuid4().hex[:8]
    person = {"first_name": f"Genowefa{marker}", "last_name": f"Pigwa{marker}",
              "email": f"genowefa.{marker}@przyklad.waw.pl", "phone": "+48 601 234 567"}
    with live("applications", "volunteers") as stack:
        applications = f"{stack.url('applications')}/api/v1"
        volunteers = f"{stack.url('volunteers')}/api/v1/volunteers"
        office = stack.session("applications:write", subject="anna.nowak")
        edition = office.post(f"{applications}/editions", json={
            "programme": "libraries", "name": f"Wolontariat w bibliotekach 2019 ({marker})", "year": 2019,
            "kind": "enrolment", "opens_on": "2019-01-15", "closes_on": "2019-03-31",
        })
        assert edition.status_code == 201, edition.text
        institution = office.post(f"{applications}/institutions", json={
            "name": f"Biblioteka Publiczna Bielany, Filia nr 13 ({marker})", "kind": "library", "district": "Bielany"})
        assert institution.status_code == 201, institution.text
        enrolled = office.post(f"{applications}/editions/{edition.json()['id']}/enrolments",
                               json={"institution_id": institution.json()["id"]})
        assert enrolled.status_code == 201, enrolled.text

        staff = stack.session("volunteers:write", subject="jan.kowalski")
        volunteer = staff.post(volunteers, json=person)
        assert volunteer.status_code == 201, volunteer.text
        volunteer_id = volunteer.json()["id"]
        body = {"institution_id": institution.json()["id"], "edition_id": edition.json()["id"], "joined_on": "2019-02-01"}

        def joined():
            # Until the applications events arrive, joining is a 422 asking to wait a moment.
            response = staff.post(f"{volunteers}/{volunteer_id}/memberships", json=body)
            assert response.status_code in (201, 422), response.text
            return response.json() if response.status_code == 201 else None

        membership = wait_until(joined, what="the volunteers service to learn the institution and the edition")
        assert membership["institution_name"].endswith(f"({marker})")

        def published():
            return [e for e in read_topic(broker.bootstrap, topics.VOLUNTEERS) if e["subject"] == volunteer_id]

        [event] = wait_until(published, what="VolunteerJoined on the volunteers topic")

        reader = stack.session("reporting:read")
        assert reader.get(f"{volunteers}/{volunteer_id}").status_code == 403
        assert [m["id"] for m in reader.get(f"{volunteers}/{volunteer_id}/memberships").json()] == [membership["id"]]
        assert staff.delete(f"{volunteers}/{volunteer_id}").status_code == 204
        assert staff.get(f"{volunteers}/{volunteer_id}").json()["erased"] is True

    assert event["_key"] == volunteer_id
    assert (event["specversion"], event["type"], event["source"]) == ("1.0", "VolunteerJoined", "/ochotnicy/volunteers")
    assert event["sequence"] == 2  # VolunteerRegistered (private, never published) was the first
    assert event["dataschema"] == "urn:ochotnicy:event:VolunteerJoined:v1"
    assert event["datacontenttype"] == "application/json" and event["time"].endswith("Z") and event["id"]
    assert event["data"] == {"volunteer_id": volunteer_id, "membership_id": membership["id"], **body,
                             "partnership_id": None}
    secrets = (f"genowefa{marker}", f"pigwa{marker}", "przyklad.waw.pl", "601 234 567")
    everything = str(read_topic(broker.bootstrap, topics.VOLUNTEERS)).lower()
    assert [s for s in secrets if s in everything] == []
    logs = {log.name: log.read_text(errors="replace").lower() for log in tmp_path.glob("volunteers-*.log")}
    assert set(logs) == {"volunteers-web.log", "volunteers-worker.log"}
    assert {name: [s for s in secrets if s in text] for name, text in logs.items()} == {name: [] for name in logs}
