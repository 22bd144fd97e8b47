"""Rectification (GDPR art. 16) on the in-memory unit of work: personal data changed as an event, still sealed."""

from __future__ import annotations

import pytest

from infra.errors import Conflict, RuleBroken
from services.volunteers.commands import EraseVolunteer, RecordPaperwork, RectifyVolunteer
from services.volunteers.domain.volunteers import Volunteer
from tests.support.memory import rule_and_field
from tests.unit.volunteers.world import D


def test_a_correction_records_every_field_sealed_anew_and_is_logged_as_a_change(world):
    volunteer_id = world.registered("anna.nowak@example.pl", birth_date=D(1990, 5, 17))
    assert world.run(RectifyVolunteer(volunteer_id, last_name="Nowak-Wiśniewska", expected_version=1)) == volunteer_id
    stored = world.store.load(volunteer_id)[-1]
    assert (stored.type, stored.version, stored.topic) == ("VolunteerRectified", 2, None)
    assert set(stored.data) == {"volunteer_id", "first_name", "last_name", "email", "phone", "birth_date"}
    assert all(stored.data[k].startswith("v1.") for k in stored.data if k != "volunteer_id")
    assert "Nowak" not in str(stored.data) and "1990-05-17" not in str(stored.data)
    person = world.person(volunteer_id)
    assert (person.first_name, person.last_name, person.email, person.phone, person.birth_date) == (
        "Anna", "Nowak-Wiśniewska", "anna.nowak@example.pl", "600 100 200", D(1990, 5, 17))
    assert world.facts.accessed[-1] == (volunteer_id, "changed")


def test_a_correction_to_the_same_values_records_nothing_and_logs_no_change(world):
    volunteer_id = world.registered()
    uow = world.uow()
    world.run(RectifyVolunteer(volunteer_id, first_name=" Anna ", email="anna.nowak@example.pl"), uow)
    assert uow.committed == [] and world.facts.accessed == [(volunteer_id, "registered")]


def test_an_empty_correction_is_refused(world):
    assert world.refused(RectifyVolunteer(world.registered()), RuleBroken).rule == "nothing_to_change"


def test_a_new_email_moves_the_digest_and_one_held_by_another_volunteer_is_a_conflict(world):
    volunteer_id, other = world.registered("anna@example.pl"), world.registered("jan@example.pl")
    error = world.refused(RectifyVolunteer(volunteer_id, email="JAN@example.pl"), Conflict)
    assert rule_and_field(error) == ("duplicate_email", "email") and "jan@" not in error.message.lower()
    world.run(RectifyVolunteer(volunteer_id, email="anna.kos@example.pl"))
    assert world.facts.holder_of("anna.kos@example.pl") == volunteer_id
    assert world.facts.holder_of("anna@example.pl") is None and world.facts.holder_of("jan@example.pl") == other


def test_only_the_case_of_the_email_changes_and_its_digest_stays(world):
    volunteer_id = world.registered("anna@example.pl")
    world.run(RectifyVolunteer(volunteer_id, email="Anna@Example.pl"))
    assert world.person(volunteer_id).email == "Anna@Example.pl" and world.facts.holder_of("anna@example.pl") == volunteer_id


def test_an_empty_phone_removes_it_and_what_a_registration_refuses_a_correction_refuses(world):
    volunteer_id = world.registered()
    world.run(RectifyVolunteer(volunteer_id, phone=""))
    assert world.person(volunteer_id).phone is None
    assert rule_and_field(world.refused(RectifyVolunteer(volunteer_id, email="anna.example.pl"), RuleBroken)) == (
        "email", "email")
    assert rule_and_field(world.refused(RectifyVolunteer(volunteer_id, first_name=" "), RuleBroken)) == (
        "required", "first_name")
    future = RectifyVolunteer(volunteer_id, birth_date=D(2030, 1, 1))
    assert rule_and_field(world.refused(future, RuleBroken)) == ("birth_date_in_future", "birth_date")


def test_a_birth_date_that_makes_a_member_a_minor_on_joining_shows_the_consent_missing(world):
    volunteer_id = world.registered()
    before, after = world.joined(volunteer_id, on=D(2021, 3, 1)), world.joined(volunteer_id, on=D(2021, 11, 1))
    world.run(RectifyVolunteer(volunteer_id, birth_date=D(2003, 6, 1)))  # 17 in March, 18 in November
    assert [t for t, _ in world.history(volunteer_id)[-2:]] == ["VolunteerRectified", "MembershipPaperworkRecorded"]
    memberships = world.get(Volunteer, volunteer_id).memberships
    assert memberships[before].minor and not memberships[after].minor
    world.run(RecordPaperwork(volunteer_id, before, guardian_consent=True))
    world.run(RectifyVolunteer(volunteer_id, birth_date=D(2002, 6, 1)))  # a typo corrected: an adult after all
    memberships = world.get(Volunteer, volunteer_id).memberships
    assert not memberships[before].minor and memberships[before].paperwork.guardian_consent


@pytest.mark.parametrize("erased", [True, False])
def test_an_erased_person_is_not_corrected_and_a_stale_page_is_refused(world, erased):
    volunteer_id = world.registered()
    if erased:
        world.run(EraseVolunteer(volunteer_id))
        assert world.refused(RectifyVolunteer(volunteer_id, first_name="Ala"), Conflict).rule == "volunteer_erased"
    else:
        world.joined(volunteer_id)
        stale = RectifyVolunteer(volunteer_id, first_name="Ala", expected_version=1)
        assert world.refused(stale, Conflict).rule == "version_mismatch"
