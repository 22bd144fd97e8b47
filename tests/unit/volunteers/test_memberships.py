"""The volunteer aggregate's rules: joining, leaving, erasure (no I/O)."""

from __future__ import annotations

import datetime
import uuid

import pytest

from contracts.volunteers import VolunteerJoined, VolunteerLeft
from infra.errors import Conflict, NotFound, RuleBroken
from services.volunteers.crypto import VolunteerCipher, new_key
from services.volunteers.domain.events import VolunteerErased, VolunteerRegistered
from services.volunteers.domain.joining import EditionFacts, Facts, InstitutionFacts, PartnershipFacts
from services.volunteers.domain.personal import Person
from services.volunteers.domain.volunteers import Volunteer

D = datetime.date


def uid() -> str:
    return str(uuid.uuid4())


INSTITUTION = InstitutionFacts(uid(), "Biblioteka Publiczna Ochota, Filia nr 7")
OTHER_INSTITUTION = InstitutionFacts(uid(), "Dom Kultury Rokoko")
EDITION = EditionFacts(uid(), "Wolontariat w bibliotekach 2019", closed=False)


def facts(institution=INSTITUTION, edition=EDITION, partnership=None, takes_part=True) -> Facts:
    return Facts(institution=institution, edition=edition, partnership=partnership, takes_part=takes_part)


def volunteer() -> Volunteer:
    v = uid()
    registered = Volunteer.register(v, Person.of("Anna", "Nowak", "anna@example.pl"), VolunteerCipher(v, new_key()))
    registered.pull_events()
    return registered


def join(v: Volunteer, *, on=D(2019, 3, 1), partnership_id=None, known=None, institution=INSTITUTION, edition=EDITION):
    membership_id = uid()
    v.join(
        membership_id,
        institution_id=institution.id,
        edition_id=edition.id,
        partnership_id=partnership_id,
        joined_on=on,
        facts=known or facts(institution, edition),
    )
    return membership_id


def test_joining_records_the_public_event_with_ids_and_facts_only():
    v = volunteer()
    membership_id = join(v)
    [(version, event)] = v.pull_events()
    assert version == 2
    assert event == VolunteerJoined(
        volunteer_id=v.id, membership_id=membership_id, institution_id=INSTITUTION.id, edition_id=EDITION.id,
        partnership_id=None, joined_on=D(2019, 3, 1),
    )
    assert v.memberships[membership_id].active


def test_a_second_active_membership_at_the_same_institution_in_the_same_edition_is_a_conflict():
    v = volunteer()
    first = join(v)
    with pytest.raises(Conflict) as refused:
        join(v, on=D(2019, 4, 1))
    assert refused.value.rule == "already_member"
    assert first in refused.value.message
    assert len(v.memberships) == 1


def test_the_same_institution_in_another_edition_or_another_institution_is_fine():
    v = volunteer()
    join(v)
    join(v, edition=EditionFacts(uid(), "Wolontariat w bibliotekach 2020", closed=False))
    join(v, institution=OTHER_INSTITUTION)
    assert len(list(v.active_memberships())) == 3


def test_after_leaving_the_volunteer_may_join_the_same_institution_again():
    v = volunteer()
    first = join(v)
    v.leave(first, D(2019, 6, 30))
    second = join(v, on=D(2019, 9, 1))
    assert not v.memberships[first].active and v.memberships[second].active


def test_a_closed_edition_still_takes_volunteers():
    # Closing ends the call for proposals and enrolments; the initiatives, and their volunteering, go on.
    v = volunteer()
    closed = EditionFacts(uid(), "Partnerstwa 2021 – tura wiosenna", closed=True)
    join(v, edition=closed)
    assert len(v.memberships) == 1


@pytest.mark.parametrize(
    "known, field, rule",
    [
        (facts(institution=None), "institution_id", "unknown_institution"),
        (facts(edition=None), "edition_id", "unknown_edition"),
    ],
)
def test_an_institution_or_edition_this_service_does_not_know_is_422_naming_the_field(known, field, rule):
    v = volunteer()
    with pytest.raises(RuleBroken) as refused:
        join(v, known=known)
    assert (refused.value.field, refused.value.rule) == (field, rule)
    assert "poczekaj chwilę" in refused.value.message
    assert v.pull_events() == []


def partnership(**overrides) -> PartnershipFacts:
    values = dict(id=uid(), edition_id=EDITION.id, institution_ids=(INSTITUTION.id, OTHER_INSTITUTION.id), withdrawn=False)
    return PartnershipFacts(**(values | overrides))


def test_joining_a_partnerships_initiative_carries_its_id():
    v = volunteer()
    p = partnership()
    join(v, partnership_id=p.id, known=facts(partnership=p))
    [(_, event)] = v.pull_events()
    assert event.partnership_id == p.id


@pytest.mark.parametrize(
    "given, rule",
    [
        (None, "unknown_partnership"),
        (partnership(edition_id=str(uuid.uuid4())), "partnership_in_other_edition"),
        (partnership(institution_ids=(OTHER_INSTITUTION.id, str(uuid.uuid4()))), "institution_not_partner"),
        (partnership(withdrawn=True), "partnership_withdrawn"),
    ],
    ids=["unknown", "other-edition", "not-a-partner", "withdrawn"],
)
def test_a_partnership_that_does_not_fit_is_422_on_partnership_id(given, rule):
    v = volunteer()
    with pytest.raises(RuleBroken) as refused:
        join(v, partnership_id=given.id if given else uid(), known=facts(partnership=given))
    assert (refused.value.field, refused.value.rule) == ("partnership_id", rule)


def test_leaving_records_the_membership_with_its_institution_and_edition():
    v = volunteer()
    membership_id = join(v)
    v.pull_events()
    v.leave(membership_id, D(2019, 3, 1))  # the same day is allowed
    [(_, event)] = v.pull_events()
    assert event == VolunteerLeft(
        volunteer_id=v.id, membership_id=membership_id, institution_id=INSTITUTION.id, edition_id=EDITION.id,
        left_on=D(2019, 3, 1),
    )


def test_leaving_before_joining_is_422_on_left_on():
    v = volunteer()
    membership_id = join(v, on=D(2019, 3, 1))
    with pytest.raises(RuleBroken) as refused:
        v.leave(membership_id, D(2019, 2, 28))
    assert (refused.value.field, refused.value.rule) == ("left_on", "left_before_joined")
    assert v.memberships[membership_id].active


def test_leaving_twice_is_a_conflict():
    v = volunteer()
    membership_id = join(v)
    v.leave(membership_id, D(2019, 6, 1))
    with pytest.raises(Conflict) as refused:
        v.leave(membership_id, D(2019, 7, 1))
    assert refused.value.rule == "already_left"
    assert v.memberships[membership_id].left_on == D(2019, 6, 1)


def test_leaving_an_unknown_membership_is_not_found():
    with pytest.raises(NotFound):
        volunteer().leave(uid(), D(2019, 6, 1))


def test_after_erasure_no_new_memberships_but_existing_ones_may_end():
    v = volunteer()
    membership_id = join(v)
    v.erase()
    with pytest.raises(Conflict) as refused:
        join(v, institution=OTHER_INSTITUTION)
    assert refused.value.rule == "volunteer_erased"
    v.leave(membership_id, D(2019, 12, 31))
    assert not v.memberships[membership_id].active


def test_erasing_twice_records_one_erasure():
    v = volunteer()
    v.erase()
    v.erase()
    assert [type(e) for _, e in v.pull_events()] == [VolunteerErased]


def test_the_aggregate_rebuilds_from_its_history_including_after_erasure():
    v = volunteer()
    kept = join(v)
    ended = join(v, institution=OTHER_INSTITUTION)
    v.leave(ended, D(2019, 5, 1))
    v.erase()
    history = [VolunteerRegistered(v.id, "v1.x", "v1.y", "v1.z", None)] + [e for _, e in v.pull_events()]
    again = Volunteer.rehydrate(v.id, history)
    assert again.version == 5
    assert again.erased
    assert [m.id for m in again.active_memberships()] == [kept]
    assert again.memberships[ended].left_on == D(2019, 5, 1)


def test_an_institution_that_takes_no_part_in_the_edition_takes_no_volunteers_in_it():
    # Neither enrolled nor a partner of a proposal still standing (or not known to be yet: a "wait a moment" answer).
    v = volunteer()
    with pytest.raises(RuleBroken) as refused:
        join(v, known=facts(takes_part=False))
    assert (refused.value.field, refused.value.rule) == ("institution_id", "institution_not_in_edition")
    assert INSTITUTION.name in refused.value.message and EDITION.name in refused.value.message
    assert "poczekaj chwilę" in refused.value.message
    assert v.pull_events() == []


def test_a_partner_joining_its_partnerships_initiative_needs_nothing_more():
    v = volunteer()
    p = partnership()
    join(v, partnership_id=p.id, known=facts(partnership=p, takes_part=False))
    assert len(v.memberships) == 1
