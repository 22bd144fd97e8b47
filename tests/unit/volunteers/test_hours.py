"""Hours on the in-memory unit of work: recorded for a month of a membership, then approved or declined once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts import topics
from infra.errors import Conflict, NotFound, RuleBroken
from services.volunteers.commands import (
    ApproveHours,
    DeclineHours,
    EraseVolunteer,
    LeaveInstitution,
    SubmitHours,
)
from services.volunteers.domain.hours import APPROVED, DECLINED, SUBMITTED
from services.volunteers.domain.volunteers import Volunteer
from tests.support.memory import rule_and_field
from tests.unit.volunteers.world import D, uid

H = Decimal


@pytest.fixture
def member(world):
    """(volunteer id, membership id): joined on 15 March 2021; today is 1 December 2021."""
    world.facts.day = D(2021, 12, 1)
    volunteer_id = world.registered()
    return volunteer_id, world.joined(volunteer_id, on=D(2021, 3, 15))


def submitted(world, member, month="2021-10", hours="12.5", activity=None, **more) -> str:
    volunteer_id, membership_id = member
    return world.run(SubmitHours(volunteer_id, membership_id, uid(), month, H(hours), activity, **more))


def refused(world, member, month="2021-10", hours="12.5", error=RuleBroken):
    volunteer_id, membership_id = member
    return world.refused(SubmitHours(volunteer_id, membership_id, uid(), month, H(hours)), error)


# -- recording -------------------------------------------------------------------------------------------------------
def test_recording_hours_stores_a_private_submission_waiting_for_approval(world, member):
    entry_id = submitted(world, member, activity="Głośne czytanie dzieciom", expected_version=2)
    volunteer_id, membership_id = member
    assert world.history(volunteer_id)[-1] == ("HoursSubmitted", 3)
    assert world.store.load(volunteer_id)[-1].topic is None  # private: the activity stays in the service
    entry = world.get(Volunteer, volunteer_id).hours[entry_id]
    assert (entry.membership_id, entry.month, entry.hours, entry.activity, entry.status) == (
        membership_id, "2021-10", H("12.5"), "Głośne czytanie dzieciom", SUBMITTED)


@pytest.mark.parametrize("month", ["2021-03", "2021-07", "2021-12"])
def test_the_joining_month_any_month_between_and_the_current_one_are_within(world, member, month):
    assert submitted(world, member, month)


@pytest.mark.parametrize("month, rule", [("2021-02", "month_outside_membership"), ("2020-12", "month_outside_membership"),
                                         ("2022-01", "month_in_future")])
def test_a_month_before_joining_or_still_to_come_is_refused_at_the_month(world, member, month, rule):
    assert rule_and_field(refused(world, member, month)) == (rule, "month")


def test_after_leaving_the_leaving_month_is_the_last_one(world, member):
    volunteer_id, membership_id = member
    world.run(LeaveInstitution(volunteer_id, membership_id, D(2021, 6, 3)))
    assert submitted(world, member, "2021-06")
    error = refused(world, member, "2021-07")
    assert rule_and_field(error) == ("month_outside_membership", "month") and "do 2021-06-03" in error.message


@pytest.mark.parametrize("month, most", [("2021-10", "744"), ("2021-11", "720"), ("2021-02", "672")])
def test_hours_are_over_zero_and_at_most_the_hours_of_the_month(world, month, most):
    world.facts.day = D(2021, 12, 1)
    volunteer_id = world.registered()
    assert submitted(world, (volunteer_id, world.joined(volunteer_id, on=D(2021, 1, 1))), month, most)
    other = (volunteer_id, world.joined(volunteer_id, on=D(2021, 1, 1)))
    for hours in ("0", "-1", str(H(most) + H("0.01"))):
        error = refused(world, other, month, hours)
        assert rule_and_field(error) == ("hours_out_of_range", "hours") and f"({most})" in error.message


def test_february_of_a_leap_year_has_a_day_more(world):
    world.facts.day = D(2021, 1, 1)
    volunteer_id = world.registered()
    membership = (volunteer_id, world.joined(volunteer_id, on=D(2020, 2, 1)))
    assert submitted(world, membership, "2020-02", "696")


# -- one entry per membership and month -----------------------------------------------------------------------------
def test_a_second_entry_for_the_same_month_is_a_conflict_until_the_first_is_declined(world, member):
    volunteer_id, _ = member
    first = submitted(world, member)
    error = refused(world, member, error=Conflict)
    assert rule_and_field(error) == ("hours_already_recorded", "month") and "czeka na zatwierdzenie" in error.message
    world.run(DeclineHours(volunteer_id, first, "Godziny z października wpisano dwa razy."))
    second = submitted(world, member)
    world.run(ApproveHours(volunteer_id, second))
    assert "została zatwierdzona" in refused(world, member, error=Conflict).message


def test_the_same_month_in_another_membership_is_another_entry(world, member):
    other = (member[0], world.joined(member[0], on=D(2021, 3, 15)))
    assert submitted(world, member) != submitted(world, other)


# -- deciding ---------------------------------------------------------------------------------------------------------
def test_approving_records_the_public_event_with_ids_month_and_hours_only(world, member):
    volunteer_id, membership_id = member
    entry_id = submitted(world, member, activity="Dyżur w czytelni: Jan Kowalski")
    assert world.run(ApproveHours(volunteer_id, entry_id, expected_version=3)) == entry_id
    stored = world.store.load(volunteer_id)[-1]
    membership = world.get(Volunteer, volunteer_id).memberships[membership_id]
    assert (stored.type, stored.version, stored.topic) == ("VolunteerHoursApproved", 4, topics.VOLUNTEERS)
    assert stored.data == {"entry_id": entry_id, "volunteer_id": volunteer_id, "membership_id": membership_id,
                    "institution_id": membership.institution_id, "edition_id": membership.edition_id,
                    "month": "2021-10", "hours": "12.50"}
    assert world.get(Volunteer, volunteer_id).hours[entry_id].status == APPROVED


def test_a_declined_entry_stays_with_its_reason(world, member):
    volunteer_id, _ = member
    entry_id = submitted(world, member)
    world.run(DeclineHours(volunteer_id, entry_id, "  Instytucja  potwierdziła 10 godzin. "))
    entry = world.get(Volunteer, volunteer_id).hours[entry_id]
    assert (entry.status, entry.reason) == (DECLINED, "Instytucja potwierdziła 10 godzin.")
    assert world.history(volunteer_id)[-1] == ("HoursDeclined", 4)


def test_a_decline_needs_a_reason(world, member):
    entry_id = submitted(world, member)
    error = world.refused(DeclineHours(member[0], entry_id, " \u200b "), RuleBroken)
    assert rule_and_field(error) == ("required", "reason")


@pytest.mark.parametrize("first", ["approve", "decline"])
def test_an_entry_is_decided_once(world, member, first):
    volunteer_id, _ = member
    entry_id = submitted(world, member)
    decide = {"approve": ApproveHours(volunteer_id, entry_id), "decline": DeclineHours(volunteer_id, entry_id, "Pomyłka.")}
    world.run(decide[first])
    for again in decide.values():
        assert world.refused(again, Conflict).rule == "hours_already_decided"


def test_an_entry_is_found_only_under_its_own_volunteer(world, member):
    entry_id = submitted(world, member)
    stranger = world.registered("jan@example.pl")
    world.refused(ApproveHours(stranger, entry_id), NotFound)
    world.refused(ApproveHours(member[0], uid()), NotFound)
    world.refused(SubmitHours(member[0], uid(), uid(), "2021-10", H("2")), NotFound)


def test_a_stale_version_is_refused(world, member):
    volunteer_id, membership_id = member
    cmd = SubmitHours(volunteer_id, membership_id, uid(), "2021-10", H("2"), expected_version=1)
    assert world.refused(cmd, Conflict).rule == "version_mismatch"


def test_after_erasure_no_hours_are_recorded_but_those_waiting_are_still_decided(world, member):
    volunteer_id, _ = member
    waiting = submitted(world, member)
    world.run(EraseVolunteer(volunteer_id))
    assert refused(world, member, "2021-11", error=Conflict).rule == "volunteer_erased"
    assert world.run(ApproveHours(volunteer_id, waiting)) == waiting
