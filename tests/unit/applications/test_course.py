"""An enrolment edition's course on the in-memory unit of work: trainings, monitoring visits, programmes and withdrawals,
each rule refused by name and storing nothing, and the lock a training and a withdrawal take turns by (no I/O)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from infra.errors import Conflict, NotFound, RuleBroken
from infra.eventstore.records import ConcurrencyError
from services.applications import commands
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment, enrolment_id
from services.applications.handlers import enrolments_lock
from tests.support.memory import rule_and_field
from tests.unit.applications.domain import opened, uid
from tests.unit.applications.world import Applications, applications

OPENS = datetime.date(2019, 3, 1)


@pytest.fixture
def world() -> Applications:
    return applications()


def edition_of(world: Applications, **overrides) -> str:
    values = dict(programme="libraries", name="Wolontariat w bibliotekach 2019", year=2019, round=None, kind="enrolment",
                  grant_caps=(), mal_required=False, opens_on=OPENS, closes_on=datetime.date(2019, 4, 30))
    return world.run(commands.OpenEdition(**vars(opened(**(values | overrides)))))


def branch(world: Applications, name: str, edition_id: str | None = None) -> str:
    """A library in the register, enrolled in `edition_id` when given."""
    institution_id = world.facts.add(uid(), name, "library").id
    if edition_id is not None:
        world.run(commands.EnrolInstitution(edition_id, institution_id))
    return institution_id


def training(edition_id: str, *ids: str, **overrides) -> commands.RecordTraining:
    values = dict(training_id=uid(), edition_id=edition_id, kind="training", title="  Wolontariat  w bibliotece ",
                  held_on=OPENS, hours=Decimal("6.5"), institution_ids=ids)
    return commands.RecordTraining(**(values | overrides))


def visit(edition_id: str, institution_id: str, on: datetime.date = OPENS, stage: str = "diagnosis"):
    return commands.RecordMonitoringVisit(uid(), edition_id, institution_id, on, stage)


def withdraw(edition_id: str, institution_id: str, reason: str = "Remont filii", **kw) -> commands.WithdrawEnrolment:
    return commands.WithdrawEnrolment(edition_id, institution_id, reason, **kw)


def adopt(edition_id: str, institution_id: str, on: datetime.date = OPENS, **kw) -> commands.AdoptProgramme:
    return commands.AdoptProgramme(edition_id, institution_id, on, **kw)


def data(world: Applications, aggregate_id: str) -> dict:
    return world.store.load(aggregate_id)[-1].data


# -- trainings --------------------------------------------------------------------------------------------------------


def test_a_training_records_its_institutions_once_each_as_words(world):
    edition_id = edition_of(world)
    a, b = branch(world, "Filia nr 75", edition_id), branch(world, "Filia nr 12", edition_id)
    training_id = world.run(training(edition_id, a, b, a))
    assert world.history(training_id) == [("TrainingHeld", 1)]
    assert data(world, training_id) == {"training_id": training_id, "edition_id": edition_id, "kind": "training",
                                        "title": "Wolontariat w bibliotece", "held_on": "2019-03-01", "hours": "6.50",
                                        "institution_ids": [a, b]}


def test_a_training_of_an_institution_not_enrolled_is_refused_naming_it(world):
    edition_id = edition_of(world)
    enrolled, elsewhere = branch(world, "Filia nr 75", edition_id), branch(world, "Filia nr 12")
    unknown = uid()
    error = world.refused(training(edition_id, enrolled, elsewhere, unknown), RuleBroken)
    assert rule_and_field(error) == ("not_enrolled", "institution_ids")
    assert "„Filia nr 12”" in error.message and unknown in error.message and "Filia nr 75" not in error.message


def test_a_training_of_a_withdrawn_institution_is_a_conflict_naming_it(world):
    edition_id = edition_of(world)
    staying, leaving = branch(world, "Filia nr 75", edition_id), branch(world, "Filia nr 12", edition_id)
    world.run(withdraw(edition_id, leaving))
    error = world.refused(training(edition_id, staying, leaving), Conflict)
    assert rule_and_field(error) == ("withdrawn", "institution_ids") and "„Filia nr 12”" in error.message
    assert world.run(training(edition_id, staying))


def test_trainings_belong_only_to_enrolment_editions(world):
    edition_id = world.run(commands.OpenEdition(**vars(opened())))  # a partnership round
    error = world.refused(training(edition_id, branch(world, "Filia nr 75")), RuleBroken)
    assert rule_and_field(error) == ("edition_kind", "edition_id")


@pytest.mark.parametrize(("change", "rule", "field"), [
    (dict(held_on=OPENS - datetime.timedelta(days=1)), "before_opening", "held_on"),
    (dict(hours=Decimal("0")), "hours_positive", "hours"),
    (dict(title=" \u200b "), "text_required", "title"),
    (dict(institution_ids=()), "no_institutions", "institution_ids"),
])
def test_a_training_is_refused_at_its_field(world, change, rule, field):
    edition_id = edition_of(world)
    ids = (branch(world, "Filia nr 75", edition_id),)
    assert rule_and_field(world.refused(training(edition_id, *ids, **change), RuleBroken)) == (rule, field)


def test_a_training_in_an_unknown_edition_is_not_found(world):
    world.refused(training(uid(), uid()), NotFound)


def test_a_closed_edition_still_records_its_course(world):
    # Closing ends the call for enrolments, not the programme's work in the libraries that enrolled.
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    world.run(commands.CloseEdition(edition_id))
    world.run(training(edition_id, library))
    world.run(visit(edition_id, library))
    world.run(adopt(edition_id, library))
    world.run(withdraw(edition_id, library))


# -- monitoring visits ------------------------------------------------------------------------------------------------


def test_a_visit_is_recorded_on_the_institutions_enrolment(world):
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    command = visit(edition_id, library, OPENS + datetime.timedelta(days=30), "implementation")
    assert world.run(command) == command.visit_id
    enrolment = enrolment_id(edition_id, library)
    assert world.history(enrolment) == [("InstitutionEnrolled", 1), ("MonitoringVisitMade", 2)]
    assert data(world, enrolment) == {"visit_id": command.visit_id, "edition_id": edition_id, "institution_id": library,
                                      "visited_on": "2019-03-31", "stage": "implementation"}


@pytest.mark.parametrize("case", ["not_enrolled", "withdrawn", "before_opening", "partnership_edition"])
def test_visit_rules(world, case):
    edition_id = world.run(commands.OpenEdition(**vars(opened()))) if case == "partnership_edition" else edition_of(world)
    library = branch(world, "Filia nr 75", None if case in ("not_enrolled", "partnership_edition") else edition_id)
    if case == "withdrawn":
        world.run(withdraw(edition_id, library))
    on = OPENS - datetime.timedelta(days=1) if case == "before_opening" else OPENS
    error = world.refused(visit(edition_id, library, on), Conflict if case == "withdrawn" else RuleBroken)
    assert rule_and_field(error) == {"not_enrolled": ("not_enrolled", "institution_id"),
                                     "withdrawn": ("withdrawn", "institution_id"),
                                     "before_opening": ("before_opening", "visited_on"),
                                     "partnership_edition": ("edition_kind", "edition_id")}[case]
    if case in ("not_enrolled", "withdrawn"):
        assert "„Filia nr 75”" in error.message


# -- programmes -------------------------------------------------------------------------------------------------------


def test_a_programme_is_adopted_once(world):
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    world.run(adopt(edition_id, library, datetime.date(2019, 6, 3), expected_version=1))
    assert data(world, enrolment_id(edition_id, library))["adopted_on"] == "2019-06-03"
    error = world.refused(adopt(edition_id, library, datetime.date(2019, 7, 1)), Conflict)
    assert error.rule == "programme_adopted" and "03.06.2019" in error.message


@pytest.mark.parametrize("case", ["not_enrolled", "withdrawn", "before_opening", "stale"])
def test_programme_rules(world, case):
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", None if case == "not_enrolled" else edition_id)
    if case in ("withdrawn", "stale"):
        world.run(withdraw(edition_id, library) if case == "withdrawn" else visit(edition_id, library))
    on = OPENS - datetime.timedelta(days=1) if case == "before_opening" else OPENS
    error = world.refused(adopt(edition_id, library, on, expected_version=1 if case == "stale" else None))
    assert (type(error), *rule_and_field(error)) == {"not_enrolled": (NotFound, "not_enrolled", None),
                                                     "withdrawn": (Conflict, "withdrawn", None),
                                                     "before_opening": (RuleBroken, "before_opening", "adopted_on"),
                                                     "stale": (Conflict, "version_mismatch", None)}[case]


# -- withdrawals ------------------------------------------------------------------------------------------------------


def test_an_institution_withdraws_once_with_a_reason(world):
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    world.run(withdraw(edition_id, library, "  Filia  zamknięta na remont ", expected_version=1))
    assert data(world, enrolment_id(edition_id, library)) == {"edition_id": edition_id, "institution_id": library,
                                                              "reason": "Filia zamknięta na remont"}
    assert world.refused(withdraw(edition_id, library), Conflict).rule == "withdrawn"
    error = world.refused(commands.EnrolInstitution(edition_id, library), Conflict)
    assert error.rule == "withdrawn"


@pytest.mark.parametrize("case", ["blank_reason", "not_enrolled", "stale", "partnership_edition"])
def test_withdrawal_rules(world, case):
    edition_id = world.run(commands.OpenEdition(**vars(opened()))) if case == "partnership_edition" else edition_of(world)
    library = branch(world, "Filia nr 75", None if case in ("not_enrolled", "partnership_edition") else edition_id)
    if case == "stale":
        world.run(adopt(edition_id, library))
    command = withdraw(edition_id, library, " " if case == "blank_reason" else "Remont",
                       expected_version=1 if case == "stale" else None)
    error = world.refused(command)
    assert (type(error), *rule_and_field(error)) == {"blank_reason": (RuleBroken, "reason_required", "reason"),
                                                     "not_enrolled": (NotFound, "not_enrolled", None),
                                                     "stale": (Conflict, "version_mismatch", None),
                                                     "partnership_edition": (RuleBroken, "edition_kind", "edition_id")}[case]


# -- concurrency ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [training, visit, adopt, withdraw])
def test_every_change_of_an_editions_course_takes_the_editions_lock_before_reading_an_enrolment(world, command):
    # A training writes only itself: the lock, not a version, is what keeps a withdrawal committed meanwhile in view.
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    uow = world.uow()
    world.run(command(edition_id, library), uow)
    assert uow.locks.held == [enrolments_lock(edition_id)]


def test_a_visit_that_did_not_see_a_withdrawal_cannot_commit_after_it(world):
    edition_id = edition_of(world)
    library = branch(world, "Filia nr 75", edition_id)
    edition = world.get(Edition, edition_id)
    late = world.uow()
    with late:
        late.aggregates.get(Enrolment, enrolment_id(edition_id, library)).visit(edition, uid(), OPENS, "planning", "Filia")
        world.run(withdraw(edition_id, library))
        with pytest.raises(ConcurrencyError):
            late.commit()
    assert world.history(enrolment_id(edition_id, library)) == [("InstitutionEnrolled", 1), ("EnrolmentWithdrawn", 2)]
