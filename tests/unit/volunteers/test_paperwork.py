"""The paperwork of a membership: what is missing when (art. 44, art. 46, a minor's consent), joining with it and mending it."""

from __future__ import annotations

import datetime

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from services.volunteers.commands import EraseVolunteer, JoinInstitution, RecordPaperwork, RegisterVolunteer
from services.volunteers.domain.paperwork import NONE, Paperwork, age_on, compliance, is_minor, long_from
from services.volunteers.domain.volunteers import Volunteer
from tests.support.memory import rule_and_field
from tests.unit.volunteers.world import D, uid

JOINED = D(2021, 3, 1)


def missing(paperwork=NONE, *, minor=False, left_on=None, today=D(2021, 12, 1), joined_on=JOINED) -> list[str]:
    return [m.code for m in compliance(paperwork, minor=minor, joined_on=joined_on, left_on=left_on, today=today)]


# -- what is missing, and from when -------------------------------------------------------------------------------
def test_an_engagement_is_long_from_its_31st_day_counting_the_day_of_joining():
    assert long_from(JOINED) == D(2021, 3, 31)
    assert missing(today=D(2021, 3, 30)) == ["insurance_missing"]  # 30 days: short, NNW asked for
    assert missing(today=D(2021, 3, 31)) == ["agreement_missing"]  # 31 days: a written agreement asked for


def test_the_agreement_and_the_insurance_each_answer_their_own_period():
    assert missing(Paperwork(agreement_signed_on=D(2021, 3, 1))) == []
    assert missing(Paperwork(accident_insurance=True)) == ["agreement_missing"]
    assert missing(Paperwork(accident_insurance=True), today=D(2021, 3, 10)) == []
    assert missing(Paperwork(agreement_signed_on=D(2021, 3, 1)), today=D(2021, 3, 10)) == ["insurance_missing"]


def test_an_ended_membership_is_judged_by_the_days_it_lasted():
    assert missing(left_on=D(2021, 3, 20)) == ["insurance_missing"]  # 20 days, however long ago
    assert missing(left_on=D(2021, 5, 1)) == ["agreement_missing"]


def test_a_minor_without_the_guardians_consent_misses_it_and_with_it_does_not():
    assert missing(Paperwork(agreement_signed_on=JOINED), minor=True) == ["guardian_consent_missing"]
    assert missing(Paperwork(agreement_signed_on=JOINED, guardian_consent=True), minor=True) == []
    assert missing(Paperwork(agreement_signed_on=JOINED), minor=False) == []


def test_each_missing_item_says_why_in_polish_with_the_article():
    found = compliance(NONE, minor=True, joined_on=JOINED, left_on=None, today=D(2021, 12, 1))
    agreement, consent = found
    assert "art. 44" in agreement.message and "30 dni" in agreement.message
    assert "18 lat" in consent.message
    assert "art. 46" in compliance(NONE, minor=False, joined_on=JOINED, left_on=None, today=JOINED)[0].message


@pytest.mark.parametrize("born, on, minor", [
    (D(2003, 12, 2), D(2021, 12, 1), True), (D(2003, 12, 1), D(2021, 12, 1), False),
    (D(2004, 2, 29), D(2022, 2, 28), True), (D(2004, 2, 29), D(2022, 3, 1), False), (None, D(2021, 1, 1), False),
])
def test_a_minor_is_under_18_on_the_day(born, on, minor):
    assert is_minor(born, on) is minor
    if born:
        assert age_on(born, on) == (17 if minor else 18)


# -- joining --------------------------------------------------------------------------------------------------------
def test_a_minor_joins_only_with_the_guardians_consent(world):
    volunteer_id = world.registered(birth_date=D(2005, 6, 1))
    institution_id, edition_id = world.place()
    error = world.refused(JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2021, 10, 1)), RuleBroken)
    assert rule_and_field(error) == ("guardian_consent_required", "guardian_consent")
    membership_id = world.run(JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2021, 10, 1),
                                              guardian_consent=True))
    assert world.history(volunteer_id)[1:] == [("VolunteerJoined", 2), ("MembershipPaperworkRecorded", 3)]
    membership = world.get(Volunteer, volunteer_id).memberships[membership_id]
    assert membership.minor and membership.paperwork == Paperwork(guardian_consent=True)


def test_at_18_or_without_a_birth_date_no_consent_is_asked_and_a_join_without_paperwork_is_one_event(world):
    adult, unknown = world.registered(birth_date=D(2003, 10, 1)), world.registered("jan@example.pl")
    for volunteer_id in (adult, unknown):
        world.joined(volunteer_id, on=D(2021, 10, 1))
        assert world.history(volunteer_id)[1:] == [("VolunteerJoined", 2)]


def test_paperwork_given_on_joining_is_recorded_beside_the_joining(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id, on=D(2021, 10, 1), agreement_signed_on=D(2021, 9, 30),
                                 accident_insurance=True)
    stored = world.store.load(volunteer_id)[-1]
    assert (stored.type, stored.topic) == ("MembershipPaperworkRecorded", None)  # private: a minor's age stays here
    assert world.get(Volunteer, volunteer_id).memberships[membership_id].paperwork == Paperwork(D(2021, 9, 30), True)


def test_an_agreement_cannot_be_signed_on_a_day_still_to_come(world):
    volunteer_id = world.registered()
    institution_id, edition_id = world.place()
    cmd = JoinInstitution(volunteer_id, uid(), institution_id, edition_id, D(2021, 10, 1),
                          agreement_signed_on=world.facts.day + datetime.timedelta(days=1))
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("agreement_in_future", "agreement_signed_on")


def test_a_birth_date_still_to_come_is_refused_at_registration(world):
    cmd = RegisterVolunteer(uid(), "Ala", "Kot", "ala@example.pl", None, world.facts.day + datetime.timedelta(days=1))
    assert rule_and_field(world.refused(cmd, RuleBroken)) == ("birth_date_in_future", "birth_date")
    assert world.facts.keys == {}


# -- mending ----------------------------------------------------------------------------------------------------------
def test_mending_changes_the_items_given_and_keeps_the_others(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id, accident_insurance=True)
    world.run(RecordPaperwork(volunteer_id, membership_id, agreement_signed_on=D(2021, 4, 2), expected_version=3))
    assert world.history(volunteer_id)[-1] == ("MembershipPaperworkRecorded", 4)
    assert world.get(Volunteer, volunteer_id).memberships[membership_id].paperwork == Paperwork(D(2021, 4, 2), True)
    world.run(RecordPaperwork(volunteer_id, membership_id, accident_insurance=False))
    assert world.get(Volunteer, volunteer_id).memberships[membership_id].paperwork == Paperwork(D(2021, 4, 2), False)


def test_mending_to_what_is_recorded_records_nothing(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id)
    uow = world.uow()
    world.run(RecordPaperwork(volunteer_id, membership_id, accident_insurance=False, guardian_consent=False), uow)
    assert uow.committed == [] and world.history(volunteer_id)[-1] == ("VolunteerJoined", 2)


def test_mending_nothing_is_refused(world):
    volunteer_id = world.registered()
    error = world.refused(RecordPaperwork(volunteer_id, world.joined(volunteer_id)), RuleBroken)
    assert error.rule == "nothing_to_change"


def test_mending_is_refused_for_an_unknown_membership_a_stale_page_an_erased_person_or_a_future_agreement(world):
    volunteer_id = world.registered()
    membership_id = world.joined(volunteer_id)
    world.refused(RecordPaperwork(volunteer_id, uid(), accident_insurance=True), NotFound)
    stale = RecordPaperwork(volunteer_id, membership_id, accident_insurance=True, expected_version=1)
    assert world.refused(stale, Conflict).rule == "version_mismatch"
    future = RecordPaperwork(volunteer_id, membership_id, agreement_signed_on=D(2030, 1, 1))
    assert rule_and_field(world.refused(future, RuleBroken)) == ("agreement_in_future", "agreement_signed_on")
    world.run(EraseVolunteer(volunteer_id))
    erased = RecordPaperwork(volunteer_id, membership_id, accident_insurance=True)
    assert world.refused(erased, Conflict).rule == "volunteer_erased"
