"""Corrections of the register over HTTP: PATCH with If-Match, refusals that write nothing, names still unique per
district, the read model and history showing the change, and proposals keeping the MAL facts they were judged on."""

from __future__ import annotations

import threading
import uuid
from decimal import Decimal

import pytest

from infra.errors import RuleBroken
from services.applications import commands
from tests.integration.applications.api import assert_error, institution, open_edition, proposal
from tests.support.apps import Client, event_count
from tests.support.races import second_waits


def url(institution_id: str) -> str:
    return f"/api/v1/institutions/{institution_id}"


def at(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


def test_a_correction_answers_the_institution_as_read_with_its_new_etag(staff):
    institution_id = institution(staff, district="Wola")
    read = staff.get(url(institution_id))
    assert read.headers["ETag"] == '"1"' and read.get_json()["version"] == 1
    name = f"Biblioteka Publiczna {uuid.uuid4().hex[:6]}"
    answer = staff.patch(url(institution_id), json={"name": f"  {name} ", "district": "Bemowo", "is_mal": True}, headers=at(1))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["name"], body["kind"], body["district"], body["is_mal"], body["version"]) == (name, "library", "Bemowo", True, 2)
    assert answer.headers["ETag"] == '"2"'
    assert staff.get(url(institution_id)).get_json() == body
    assert body in staff.get("/api/v1/institutions?district=Bemowo").get_json()
    assert institution_id not in [i["id"] for i in staff.get("/api/v1/institutions?district=Wola").get_json()]
    story = staff.get(f"{url(institution_id)}/history").get_json()
    assert [e["type"] for e in story] == ["InstitutionRegistered", "InstitutionDetailsChanged"]
    assert story[1]["data"] == {"institution_id": institution_id, "name": name, "kind": "library", "district": "Bemowo",
                                "is_mal": True}


def test_a_correction_without_if_match_is_428_and_a_stale_one_409_writing_nothing(app, staff):
    institution_id = institution(staff)
    before = event_count(app[0])
    missing = assert_error(staff.patch(url(institution_id), json={"kind": "school"}), 428)
    assert "If-Match" in missing["message"]
    assert_error(staff.patch(url(institution_id), json={"kind": "school"}, headers=at(2)), 409, rule="version_mismatch")
    assert_error(staff.patch(url(institution_id), json={"kind": "school"}, headers={"If-Match": "druga"}), 400)
    assert event_count(app[0]) == before
    assert staff.patch(url(institution_id), json={"kind": "school"}, headers={"If-Match": 'W/"1"'}).status_code == 200


@pytest.mark.parametrize("body, field", [({"kind": "museum"}, "kind"), ({"district": "Kraków"}, "district"),
                                         ({"name": "   "}, "name"), ({"name": None}, "name"), ({"is_mal": "tak"}, "is_mal"),
                                         ({"name": "X", "website": "x.pl"}, "website")])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(app, staff, body, field):
    institution_id = institution(staff)
    before = event_count(app[0])
    assert_error(staff.patch(url(institution_id), json=body, headers=at(1)), 422, field=field)
    assert event_count(app[0]) == before


def test_an_empty_correction_is_422_and_one_that_changes_nothing_is_200_without_an_event(app, staff):
    institution_id = institution(staff, district="Ursus")
    before = event_count(app[0])
    assert_error(staff.patch(url(institution_id), json={}, headers=at(1)), 422, rule="nothing_to_correct")
    same = staff.get(url(institution_id)).get_json()
    answer = staff.patch(url(institution_id), json={"name": same["name"], "district": "Ursus"}, headers=at(1))
    assert answer.status_code == 200 and answer.get_json() == same and answer.headers["ETag"] == '"1"'
    assert event_count(app[0]) == before


def test_unknown_institution_and_a_reader_are_refused(staff):
    assert_error(staff.patch(url(str(uuid.uuid4())), json={"kind": "school"}, headers=at(1)), 404)
    assert_error(staff.as_("reporting:read").patch(url(institution(staff)), json={"kind": "school"}, headers=at(1)), 403)


def test_a_rename_onto_a_name_taken_in_the_district_is_409_but_respelling_its_own_is_fine(app, staff):
    name = f"Dom Kultury Włochy {uuid.uuid4().hex[:4]}"
    taken = staff.post("/api/v1/institutions", json={"name": name, "kind": "culture_house", "district": "Włochy"})
    other = institution(staff, kind="culture_house", district="Ursus")
    before = event_count(app[0])
    assert_error(staff.patch(url(other), json={"name": name.upper(), "district": "Włochy"}, headers=at(1)), 409,
                 field="name", rule="duplicate_institution")
    assert event_count(app[0]) == before
    own = staff.patch(url(taken.get_json()["id"]), json={"name": name.lower()}, headers=at(1))
    assert own.status_code == 200 and own.get_json()["name"] == name.lower()


def test_concurrent_renames_onto_one_name_leave_it_once_in_the_district(app, staff):
    name = f"Biblioteka równoległa {uuid.uuid4().hex[:4]}"
    ids = [institution(staff, district="Rembertów") for _ in range(4)]
    statuses: list[int] = []
    barrier = threading.Barrier(len(ids))

    def rename(institution_id: str) -> None:
        client = Client(app[1], "applications:write")
        barrier.wait()
        statuses.append(client.patch(url(institution_id), json={"name": name}, headers=at(1)).status_code)

    threads = [threading.Thread(target=rename, args=(i,)) for i in ids]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(statuses) == [200] + [409] * (len(ids) - 1)
    assert len([i for i in staff.get("/api/v1/institutions?district=Rembertów").get_json() if i["name"] == name]) == 1


def test_a_retried_correction_with_its_key_is_answered_once(app, staff):
    institution_id = institution(staff)
    key = {"Idempotency-Key": f"poprawka-{uuid.uuid4()}"}
    first = staff.patch(url(institution_id), json={"kind": "ngo"}, headers=at(1) | key)
    before = event_count(app[0])
    again = staff.patch(url(institution_id), json={"kind": "ngo"}, headers=at(1) | key)
    assert again.status_code == 200 and again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert event_count(app[0]) == before


def test_proposals_keep_the_mal_facts_they_were_judged_on_and_new_ones_see_the_correction(staff):
    edition = open_edition(staff)  # a MAL required among the partners
    library, centre, other = institution(staff), institution(staff, kind="social_welfare_centre", is_mal=True), institution(staff)
    judged_with = proposal(staff, edition["id"], [library, centre]).get_json()
    judged_without = proposal(staff, edition["id"], [library, other, institution(staff, kind="mal")]).get_json()
    assert staff.patch(url(centre), json={"is_mal": False}, headers=at(1)).status_code == 200
    assert staff.patch(url(other), json={"is_mal": True}, headers=at(1)).status_code == 200

    assert_error(proposal(staff, edition["id"], [library, centre]), 422, rule="mal_required")
    verify = "/api/v1/partnerships/{}/mal-verification"
    assert staff.post(verify.format(judged_with["id"]), json={"verified": True, "institution_id": centre}).status_code == 200
    assert_error(staff.post(verify.format(judged_without["id"]), json={"verified": True, "institution_id": other}), 422,
                 field="institution_id", rule="not_a_mal")
    since = proposal(staff, edition["id"], [library, other])
    assert since.status_code == 201
    assert staff.post(verify.format(since.get_json()["id"]), json={"verified": True, "institution_id": other}).status_code == 200


def test_a_proposal_racing_a_correction_of_its_mal_waits_for_it_and_is_judged_on_the_corrected_register(app, staff):
    """The correction holds the institution's lock until it commits: the proposal, sent meanwhile, reads it afterwards."""
    service = app[0]
    edition = open_edition(staff)  # a MAL required among the partners
    library, centre = institution(staff), institution(staff, kind="social_welfare_centre", is_mal=True)
    correction = commands.ChangeInstitutionDetails(centre, is_mal=False, expected_version=1)
    proposal_ = commands.ProposePartnership(str(uuid.uuid4()), edition["id"], "Sąsiedzi razem", library, (library, centre),
                                            Decimal("6000.00"))
    outcome = second_waits(service, correction, proposal_, RuleBroken)
    assert isinstance(outcome, RuleBroken) and outcome.rule == "mal_required"
