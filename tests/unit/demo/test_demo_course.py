"""The library editions' course in the demonstration data: what the applications service's rules would accept."""

from __future__ import annotations

import collections
import datetime

from contracts import vocabulary
from ochotnicy import demo_data as data

STAGES = vocabulary.MONITORING_STAGES


def _withdrawn() -> dict[tuple[str, str], datetime.date]:
    return {(w.edition, w.institution): w.on for w in data.WITHDRAWALS}


def _after_withdrawal(edition: str, library: str, day: datetime.date) -> bool:
    withdrawn = _withdrawn().get((edition, library))
    return withdrawn is not None and day >= withdrawn


def test_each_library_edition_has_its_trainings_a_study_visit_and_two_coordinators_meetings():
    for edition in data.LIBRARY_EDITIONS:
        sessions = [t for t in data.TRAININGS if t.edition == edition]
        kinds = collections.Counter(t.kind for t in sessions)
        assert 2 <= kinds["training"] <= 3 and kinds["study_visit"] == 1 and kinds["meeting"] == 2
        assert [t.held_on for t in sessions] == sorted(t.held_on for t in sessions)
        enrolled = data.ENROLMENTS[edition]
        for training in sessions:
            assert set(training.institutions) <= set(enrolled)  # 422 not_enrolled otherwise
            assert len(training.institutions) > len(enrolled) * 2 // 3  # most of them
            assert training.held_on >= data.EDITION_BY_KEY[edition].opens_on  # 422 before_opening otherwise
            if training.kind == "training":
                assert 5 <= training.hours <= 7
    assert len({t.key for t in data.TRAININGS}) == len(data.TRAININGS)


def test_trainers_visit_each_library_two_to_four_times_from_diagnosis_to_evaluation():
    by_library = collections.defaultdict(list)
    for visit in data.VISITS:
        assert visit.institution in data.ENROLMENTS[visit.edition]
        assert visit.visited_on >= data.EDITION_BY_KEY[visit.edition].opens_on
        by_library[visit.edition, visit.institution].append(visit)
    withdrawn = _withdrawn()
    assert set(by_library) == {(e, i) for e, libraries in data.ENROLMENTS.items() for i in libraries}
    for key, visits in by_library.items():
        days, stages = [v.visited_on for v in visits], [v.stage for v in visits]
        assert days == sorted(days) and stages == sorted(stages, key=STAGES.index) and stages[0] == "diagnosis"
        if key not in withdrawn:
            assert 2 <= len(visits) <= 4 and stages[-1] == "evaluation"
    assert len({v.key for v in data.VISITS}) == len(data.VISITS)


def test_most_libraries_adopt_a_programme_once_and_one_or_two_withdraw_from_each_edition_with_a_reason():
    for edition in data.LIBRARY_EDITIONS:
        adopted = [p.institution for p in data.PROGRAMMES if p.edition == edition]
        assert len(adopted) == len(set(adopted)) > len(data.ENROLMENTS[edition]) * 2 // 3
        withdrawals = [w for w in data.WITHDRAWALS if w.edition == edition]
        assert 1 <= len(withdrawals) <= 2
        for withdrawal in withdrawals:
            assert withdrawal.institution in data.ENROLMENTS[edition] and len(withdrawal.reason) > 30
            assert withdrawal.on >= data.EDITION_BY_KEY[edition].opens_on
    for programme in data.PROGRAMMES:
        assert programme.adopted_on >= data.EDITION_BY_KEY[programme.edition].opens_on


def test_a_withdrawn_library_gets_nothing_after_it_withdrew():
    for training in data.TRAININGS:
        assert not any(_after_withdrawal(training.edition, i, training.held_on) for i in training.institutions)
    assert not any(_after_withdrawal(v.edition, v.institution, v.visited_on) for v in data.VISITS)
    assert not any(_after_withdrawal(p.edition, p.institution, p.adopted_on) for p in data.PROGRAMMES)
    assert not any(_after_withdrawal(m.edition, m.institution, m.joined_on) for m in data.MEMBERSHIPS)


def test_the_course_figures_mean_something_in_every_library_edition():
    figures = data.expected()
    for edition in data.LIBRARY_EDITIONS:
        training = figures[edition]["training"]
        enrolled = figures[edition]["institutions"]["count"]
        assert training["institutions_trained"] == training["institutions_visited"] == enrolled
        assert 0 < training["programmes_adopted"] < enrolled
    together = data.expected_across({data.LIBRARIES_2017, data.LIBRARIES_2018})["training"]
    each = [figures[e]["training"] for e in (data.LIBRARIES_2017, data.LIBRARIES_2018)]
    assert together["sessions"] == sum(t["sessions"] for t in each)  # a training belongs to one edition
    assert together["institutions_trained"] == 24 < sum(t["institutions_trained"] for t in each)  # a library counts once
