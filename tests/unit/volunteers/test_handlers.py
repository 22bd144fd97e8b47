"""Every volunteers handler on the in-memory unit of work: registration, joining, leaving, erasure (no I/O)."""

from __future__ import annotations

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.records import ConcurrencyError
from services.volunteers.commands import EraseVolunteer, JoinInstitution, LeaveInstitution, RegisterVolunteer
from services.volunteers.crypto import VolunteerCipher
from services.volunteers.domain.joining import PartnershipFacts
from services.volunteers.domain.volunteers import Volunteer
from tests.support.memory import rule_and_field
from tests.support.uow_suite import claim
from tests.unit.volunteers.world import D, uid

# -- register_volunteer ------------------------------------------------------------------------------------------------

def test_registering_stores_the_sealed_person_under_a_new_key(world):
    volunteer_id = world.registered(" Anna.Nowak@example.pl ")
    assert world.history(volunteer_id) == [("VolunteerRegistered", 1)]
    assert "Anna" not in str(world.store.load(volunteer_id)[0].data)
    held, key = world.facts.keys["anna.nowak@example.pl"]
    assert held == volunteer_id
    person = world.get(Volunteer, volunteer_id).person(VolunteerCipher(volunteer_id, key))
    assert (person.first_name, person.email, person.phone) == ("Anna", "Anna.Nowak@example.pl", "600 100 200")


def test_an_email_registered_already_in_any_case_is_a_conflict_on_the_email(world):
    first = world.registered("anna@example.pl")
    error = world.refused(RegisterVolunteer(uid(), "Anna", "Kowalska", "ANNA@example.pl"), Conflict)
    assert rule_and_field(error) == ("duplicate_email", "email")
    assert first in error.message and "anna@" not in error.message.lower()
    assert [held for held, _ in world.facts.keys.values()] == [first]


def test_a_registration_without_a_valid_email_is_refused(world):
    error = world.refused(RegisterVolunteer(uid(), "Anna", "Nowak", "anna.example.pl"), RuleBroken)
    assert rule_and_field(error) == ("email", "email") and world.facts.keys == {}


def test_a_registration_whose_commit_fails_leaves_the_email_free(world):
    world.bus().handle(RegisterVolunteer(uid(), "Jan", "Kos", "jan@example.pl"), claim("key-1"))
    lost = RegisterVolunteer(uid(), "Anna", "Nowak", "anna@example.pl")
    with pytest.raises(ConcurrencyError):
        world.bus().handle(lost, claim("key-1"))  # the key is claimed already: the commit fails
    assert world.history(lost.volunteer_id) == []
    assert world.facts.holder_of("anna@example.pl") is None


# -- join_institution --------------------------------------------------------------------------------------------------

def test_joining_an_institution_taking_part_stores_volunteer_joined(world):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place()
    membership_id = uid()
    cmd = JoinInstitution(volunteer_id, membership_id, institution_id, edition_id, D(2019, 3, 1), expected_version=1)
    assert world.run(cmd) == membership_id
    assert world.history(volunteer_id) == [("VolunteerRegistered", 1), ("VolunteerJoined", 2)]
    assert world.get(Volunteer, volunteer_id).memberships[membership_id].institution_id == institution_id


def test_joining_an_institution_not_in_the_edition_is_refused(world):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place(takes_part=False)
    error = world.refused(JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 3, 1)), RuleBroken)
    assert rule_and_field(error) == ("institution_not_in_edition", "institution_id")


@pytest.mark.parametrize("unknown, rule", [("edition", "unknown_edition"), ("institution", "unknown_institution")])
def test_joining_where_the_service_has_not_learnt_of_the_place_is_refused(world, unknown, rule):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place()
    cmd = JoinInstitution(volunteer_id, uid(), uid() if unknown == "institution" else institution_id,
                          uid() if unknown == "edition" else edition_id, D(2019, 3, 1))
    assert rule_and_field(world.refused(cmd, RuleBroken)) == (rule, f"{unknown}_id")


def test_joining_a_withdrawn_partnerships_initiative_is_refused(world):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place(takes_part=False)
    partnership = PartnershipFacts(uid(), edition_id, (institution_id, uid()), withdrawn=True)
    world.facts.partnerships[partnership.id] = partnership
    cmd = JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 3, 1), partnership_id=partnership.id)
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("partnership_withdrawn", "partnership_id")


def test_joining_the_same_place_twice_while_active_is_a_conflict(world):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place()
    world.run(JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 3, 1)))
    cmd = JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 4, 1))
    assert world.refused(cmd, Conflict).rule == "already_member"


def test_an_unknown_volunteer_joins_nowhere(world):
    institution_id, edition_id = world.place()
    world.refused(JoinInstitution(uid(), uid(), institution_id, edition_id, D(2019, 3, 1)), NotFound)


def test_joining_for_a_stale_version_is_a_version_conflict(world):
    volunteer_id = world.registered()
    world.joined(volunteer_id)
    institution_id, edition_id = world.place()
    cmd = JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 3, 1), expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


# -- leave_institution -------------------------------------------------------------------------------------------------

def test_leaving_stores_volunteer_left_and_ends_the_membership(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id)
    assert world.run(LeaveInstitution(volunteer_id, membership_id, D(2019, 6, 30), expected_version=2)) == membership_id
    assert world.history(volunteer_id)[-1] == ("VolunteerLeft", 3)
    assert world.get(Volunteer, volunteer_id).memberships[membership_id].left_on == D(2019, 6, 30)


def test_leaving_twice_is_a_conflict(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id)
    world.run(LeaveInstitution(volunteer_id, membership_id, D(2019, 6, 30)))
    assert world.refused(LeaveInstitution(volunteer_id, membership_id, D(2019, 7, 1)), Conflict).rule == "already_left"


def test_leaving_before_joining_is_refused(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id, on=D(2019, 3, 1))
    error = world.refused(LeaveInstitution(volunteer_id, membership_id, D(2019, 2, 28)), RuleBroken)
    assert rule_and_field(error) == ("left_before_joined", "left_on")


def test_leaving_a_membership_the_volunteer_does_not_have_is_not_found(world):
    world.refused(LeaveInstitution(world.registered(), uid(), D(2019, 6, 30)), NotFound)


def test_leaving_for_a_stale_version_is_a_version_conflict(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id)
    cmd = LeaveInstitution(volunteer_id, membership_id, D(2019, 6, 30), expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


# -- erase_volunteer ---------------------------------------------------------------------------------------------------

def test_erasing_shreds_the_key_forgets_the_answers_and_stores_volunteer_erased(world):
    volunteer_id, other = world.registered("anna@example.pl"), world.registered("jan@example.pl")
    assert world.run(EraseVolunteer(volunteer_id)) == volunteer_id
    assert world.history(volunteer_id) == [("VolunteerRegistered", 1), ("VolunteerErased", 2)]
    assert [held for held, _ in world.facts.keys.values()] == [other]
    assert world.facts.forgotten == [volunteer_id]
    assert world.get(Volunteer, volunteer_id).person(None) is None


def test_registering_and_erasing_are_recorded_in_the_access_log_and_a_refused_registration_is_not(world):
    volunteer_id = world.registered("anna@example.pl")
    with pytest.raises(Conflict):
        world.registered("ANNA@example.pl")
    world.run(EraseVolunteer(volunteer_id))
    assert world.facts.accessed == [(volunteer_id, "registered"), (volunteer_id, "erased")]


def test_erasing_again_stores_nothing_more(world):
    volunteer_id = world.registered()
    world.run(EraseVolunteer(volunteer_id))
    uow = world.uow()
    assert world.run(EraseVolunteer(volunteer_id), uow) == volunteer_id
    assert uow.committed == []
    assert world.history(volunteer_id) == [("VolunteerRegistered", 1), ("VolunteerErased", 2)]
    assert world.facts.keys == {}


def test_an_erased_volunteer_may_register_again_under_the_same_email_but_join_nowhere(world):
    volunteer_id = world.registered("anna@example.pl")
    world.run(EraseVolunteer(volunteer_id))
    assert world.history(world.registered("anna@example.pl")) == [("VolunteerRegistered", 1)]
    institution_id, edition_id = world.place()
    cmd = JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2019, 3, 1))
    assert world.refused(cmd, Conflict).rule == "volunteer_erased"


def test_erasing_an_unknown_volunteer_is_not_found(world):
    world.refused(EraseVolunteer(uid()), NotFound)
    assert world.facts.forgotten == []
