"""The reporting projection: each event type, in any order, applied once or many times."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from contracts.applications import (
    EditionClosed,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipProposed,
    PartnershipWithdrawn,
)
from contracts.funding import FundingGranted, FundingRejected
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from services.reporting import moments, queries
from services.reporting.readmodel import TABLES, current_summaries, editions
from tests.integration.reporting.scenario import Populated, at, edition_opened, new_id, populated, wrap

ZERO = {
    "partnerships": {"proposed": 0, "mal_verified": 0, "funded": 0, "rejected": 0, "withdrawn": 0},
    "funding": {"requested_total": "0.00", "granted_total": "0.00"},
    "institutions": {"count": 0, "by_kind": {}, "by_district": {}},
    "volunteers": {"joined": 0, "active": 0},
}


def figures(summary: dict) -> dict:
    return {k: summary[k] for k in ("partnerships", "funding", "institutions", "volunteers")}


def with_(base: dict, **changes) -> dict:
    """ZERO with some groups changed: with_(ZERO, partnerships={"proposed": 1})."""
    result = {k: dict(v) for k, v in base.items()}
    for group, values in changes.items():
        result[group].update(values)
    return result


@pytest.fixture
def edition(feed):
    edition_id = new_id()
    feed.batch([wrap(edition_opened(edition_id), time=at("2021-09-01 08:00"))])
    return edition_id


def institution(feed, kind="library", district="Wola", registered=True) -> str:
    institution_id = new_id()
    if registered:
        feed.batch([wrap(InstitutionRegistered(institution_id, f"Instytucja {institution_id[:6]}", kind, district, False),
                         time=at("2021-08-01 09:00"))])
    return institution_id


def proposed(edition_id, members, amount="6000.00", partnership_id=None):
    partnership_id = partnership_id or new_id()
    return PartnershipProposed(partnership_id, edition_id, "Wspólne czytanie", members[0], tuple(members), Decimal(amount))


# -- each event type ---------------------------------------------------------------------------------


def test_edition_opened_makes_the_edition_known_with_its_name_and_programme(feed, edition):
    summary = feed.summary(edition)
    assert (summary["programme"], summary["name"], summary["year"], summary["round"]) == (
        "partnerships", "Partnerstwa 2021 – tura jesienna", 2021, "autumn")
    assert figures(summary) == ZERO


def test_an_edition_first_heard_of_through_a_partnership_is_filled_in_when_edition_opened_arrives(feed):
    edition_id, a, b = new_id(), institution(feed), institution(feed)
    feed.batch([wrap(proposed(edition_id, [a, b]), time=at("2021-09-10 10:00"))])
    early = feed.summary(edition_id)
    assert early["name"] is None and early["partnerships"]["proposed"] == 1
    feed.batch([wrap(edition_opened(edition_id), time=at("2021-09-01 08:00"))])
    assert feed.summary(edition_id)["name"] == "Partnerstwa 2021 – tura jesienna"
    assert feed.summary(edition_id)["partnerships"]["proposed"] == 1


def test_edition_closed_is_recorded_even_before_edition_opened(feed, service):
    edition_id = new_id()
    feed.batch([wrap(EditionClosed(edition_id), time=at("2021-12-20 12:00"), sequence=2)])
    feed.batch([wrap(edition_opened(edition_id), time=at("2021-09-01 08:00"))])
    with service.read() as session:
        row = session.execute(select(editions).where(editions.c.id == edition_id)).one()
    assert row.closed_at == at("2021-12-20 12:00") and row.name == "Partnerstwa 2021 – tura jesienna"


def test_partnership_proposed_counts_the_partnership_its_request_and_its_distinct_institutions(feed, edition):
    a, b, c = institution(feed, "library", "Wola"), institution(feed, "mal", "Ochota"), institution(feed, "school", "Wola")
    feed.batch([
        wrap(proposed(edition, [a, b, a], "6000.00"), time=at("2021-09-10 10:00")),  # a named twice: one institution
        wrap(proposed(edition, [b, c], "4500.50"), time=at("2021-09-11 10:00")),
    ])
    assert figures(feed.summary(edition)) == with_(
        ZERO,
        partnerships={"proposed": 2},
        funding={"requested_total": "10500.50"},
        institutions={"count": 3, "by_kind": {"library": 1, "mal": 1, "school": 1}, "by_district": {"Ochota": 1, "Wola": 2}},
    )


def test_institution_registered_after_the_partnership_naming_it_fills_in_kind_and_district(feed, edition):
    known, late = institution(feed, "library", "Wola"), institution(feed, registered=False)
    feed.batch([wrap(proposed(edition, [known, late]), time=at("2021-09-10 10:00"))])
    assert feed.summary(edition)["institutions"] == {
        "count": 2, "by_kind": {"library": 1, "unknown": 1}, "by_district": {"Wola": 1, "unknown": 1}}
    feed.batch([wrap(InstitutionRegistered(late, "MAL Szmulki", "mal", "Praga-Północ", True), time=at("2021-08-02 09:00"))])
    assert feed.summary(edition)["institutions"] == {
        "count": 2, "by_kind": {"library": 1, "mal": 1}, "by_district": {"Praga-Północ": 1, "Wola": 1}}


def test_partnership_withdrawn_counts_in_proposed_and_withdrawn_but_not_in_the_requested_total(feed, edition):
    a, b = institution(feed), institution(feed)
    kept, gone = proposed(edition, [a, b], "6000.00"), proposed(edition, [a, b], "5000.00")
    feed.batch([
        wrap(kept, time=at("2021-09-10 10:00")),
        wrap(gone, time=at("2021-09-11 10:00")),
        wrap(PartnershipWithdrawn(gone.partnership_id, edition, "Zmiana planów"), time=at("2021-09-20 10:00"), sequence=2),
    ])
    summary = feed.summary(edition)
    assert summary["partnerships"] == {"proposed": 2, "mal_verified": 0, "funded": 0, "rejected": 0, "withdrawn": 1}
    assert summary["funding"]["requested_total"] == "6000.00"
    assert summary["institutions"]["count"] == 2  # the withdrawn one still named them


def test_partnership_withdrawn_before_its_proposal_arrives(feed, edition):
    a, b = institution(feed), institution(feed)
    p = proposed(edition, [a, b], "5000.00")
    feed.batch([wrap(PartnershipWithdrawn(p.partnership_id, edition, "Rezygnacja"), time=at("2021-09-20 10:00"), sequence=2)])
    assert feed.summary(edition)["partnerships"]["withdrawn"] == 1
    assert feed.summary(edition)["partnerships"]["proposed"] == 0
    feed.batch([wrap(p, time=at("2021-09-10 10:00"))])
    summary = feed.summary(edition)
    assert (summary["partnerships"]["proposed"], summary["partnerships"]["withdrawn"]) == (1, 1)
    assert summary["funding"]["requested_total"] == "0.00"


def test_mal_verified_counts_and_a_failed_verification_does_not(feed, edition):
    a, mal = institution(feed), institution(feed, "mal")
    verified, failed, retried = (proposed(edition, [a, mal]) for _ in range(3))
    feed.batch([wrap(p, time=at("2021-09-10 10:00")) for p in (verified, failed, retried)])
    feed.batch([
        wrap(MALVerified(verified.partnership_id, edition, mal), time=at("2021-10-01 10:00"), sequence=2),
        wrap(MALVerificationFailed(failed.partnership_id, edition, "Brak potwierdzenia", mal), time=at("2021-10-01 11:00"), sequence=2),
        wrap(MALVerificationFailed(retried.partnership_id, edition, "Brak potwierdzenia", mal), time=at("2021-10-01 12:00"), sequence=2),
        wrap(MALVerified(retried.partnership_id, edition, mal), time=at("2021-10-05 12:00"), sequence=3),
    ])
    assert feed.summary(edition)["partnerships"]["mal_verified"] == 2


def test_institution_enrolled_counts_institutions_once_also_when_named_in_a_partnership(feed):
    edition_id = new_id()
    feed.batch([wrap(edition_opened(edition_id, name="Biblioteki 2019", kind="enrolment", programme="libraries", round=None),
                     time=at("2019-01-10 08:00"))])
    a, b = institution(feed, "library", "Bielany"), institution(feed, "library", "Wola")
    feed.batch([
        wrap(InstitutionEnrolled(edition_id, a), time=at("2019-02-01 10:00")),
        wrap(InstitutionEnrolled(edition_id, b), time=at("2019-02-02 10:00")),
        wrap(proposed(edition_id, [a, b]), time=at("2019-02-03 10:00")),
    ])
    assert feed.summary(edition_id)["institutions"] == {
        "count": 2, "by_kind": {"library": 2}, "by_district": {"Bielany": 1, "Wola": 1}}


def test_funding_granted_counts_and_sums_also_when_it_arrives_before_the_proposal(feed, edition):
    a, b = institution(feed), institution(feed)
    p = proposed(edition, [a, b], "6000.00")
    feed.batch([wrap(FundingGranted(p.partnership_id, edition, Decimal("5500.00"), Decimal("6000.00")), time=at("2021-11-05 12:00"))])
    early = feed.summary(edition)
    assert early["partnerships"]["funded"] == 1 and early["funding"]["granted_total"] == "5500.00"
    assert early["partnerships"]["proposed"] == 0 and early["institutions"]["count"] == 0
    feed.batch([wrap(p, time=at("2021-09-10 10:00"))])
    late = feed.summary(edition)
    assert late["partnerships"]["proposed"] == 1 and late["partnerships"]["funded"] == 1
    assert late["funding"] == {"requested_total": "6000.00", "granted_total": "5500.00"}
    assert late["institutions"]["count"] == 2


def test_large_amounts_sum_exactly(feed, edition):
    grants = [Decimal("12345678.91"), Decimal("87654321.09"), Decimal("0.01")]
    feed.batch([wrap(FundingGranted(new_id(), edition, amount, amount), time=at("2021-11-05 12:00")) for amount in grants])
    assert feed.summary(edition)["funding"]["granted_total"] == "100000000.01"


def test_funding_rejected_counts_as_rejected(feed, edition):
    a, b = institution(feed), institution(feed)
    p = proposed(edition, [a, b])
    feed.batch([wrap(FundingRejected(p.partnership_id, edition, "Brak MAL"), time=at("2021-11-05 12:00")),
                wrap(p, time=at("2021-09-10 10:00"))])
    summary = feed.summary(edition)
    assert summary["partnerships"]["rejected"] == 1 and summary["partnerships"]["funded"] == 0
    assert summary["funding"]["granted_total"] == "0.00"


def test_volunteer_joined_counts_distinct_volunteers_across_memberships(feed, edition):
    a, b = institution(feed), institution(feed)
    anna, jan = new_id(), new_id()
    feed.batch([
        wrap(VolunteerJoined(anna, new_id(), a, edition, None, datetime.date(2021, 10, 1)), time=at("2021-10-01 10:00")),
        wrap(VolunteerJoined(anna, new_id(), b, edition, None, datetime.date(2021, 10, 2)), time=at("2021-10-02 10:00"), sequence=2),
        wrap(VolunteerJoined(jan, new_id(), b, edition, None, datetime.date(2021, 10, 3)), time=at("2021-10-03 10:00")),
    ])
    assert feed.summary(edition)["volunteers"] == {"joined": 2, "active": 2}


def test_volunteer_left_ends_a_membership_and_a_volunteer_with_another_stays_active(feed, edition):
    a, b = institution(feed), institution(feed)
    anna, jan = new_id(), new_id()
    anna_a, anna_b, jan_a = new_id(), new_id(), new_id()
    feed.batch([
        wrap(VolunteerJoined(anna, anna_a, a, edition, None, datetime.date(2021, 10, 1)), time=at("2021-10-01 10:00")),
        wrap(VolunteerJoined(anna, anna_b, b, edition, None, datetime.date(2021, 10, 2)), time=at("2021-10-02 10:00"), sequence=2),
        wrap(VolunteerJoined(jan, jan_a, a, edition, None, datetime.date(2021, 10, 3)), time=at("2021-10-03 10:00")),
        wrap(VolunteerLeft(anna, anna_a, a, edition, datetime.date(2021, 11, 1)), time=at("2021-11-01 10:00"), sequence=3),
        wrap(VolunteerLeft(jan, jan_a, a, edition, datetime.date(2021, 11, 2)), time=at("2021-11-02 10:00"), sequence=2),
    ])
    assert feed.summary(edition)["volunteers"] == {"joined": 2, "active": 1}


def test_volunteer_left_before_volunteer_joined_arrives(feed, edition):
    a = institution(feed)
    anna, membership = new_id(), new_id()
    feed.batch([wrap(VolunteerLeft(anna, membership, a, edition, datetime.date(2021, 11, 1)), time=at("2021-11-01 10:00"), sequence=2)])
    assert feed.summary(edition)["volunteers"] == {"joined": 0, "active": 0}
    feed.batch([wrap(VolunteerJoined(anna, membership, a, edition, None, datetime.date(2021, 10, 1)), time=at("2021-10-01 10:00"))])
    assert feed.summary(edition)["volunteers"] == {"joined": 1, "active": 0}
    assert feed.summary(edition, as_of=at("2021-10-15 00:00"))["volunteers"] == {"joined": 1, "active": 1}


# -- duplicates and order ----------------------------------------------------------------------------


def test_every_event_delivered_twice_changes_nothing(feed):
    story = populated()
    feed.batch(story.events)
    once = feed.summary(story.edition_id)
    feed.batch(story.events)  # the whole log again, as after a broker that lost its topics
    feed.one_by_one(story.events[::3])
    feed.batch([e for e in story.events for _ in range(2)])  # each event twice within one batch
    assert feed.summary(story.edition_id) == once
    assert figures(once) == Populated.expected


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_any_order_and_any_batching_gives_the_same_summary_at_every_moment(feed, seed):
    story = populated()
    shuffled = list(story.events)
    random.Random(seed).shuffle(shuffled)
    if seed == 4:
        shuffled.reverse()
    rng = random.Random(seed * 7)
    while shuffled:
        size = rng.randint(1, 6)
        batch, shuffled = shuffled[:size], shuffled[size:]
        feed.batch(batch + batch[: rng.randint(0, 1)])  # sometimes a duplicate in the same batch
    assert figures(feed.summary(story.edition_id)) == Populated.expected
    with feed.service.read() as session:  # the kept summaries (read now) agree with the facts, edition by edition
        rows = queries.edition_rows(session)
        assert session.execute(select(func.count()).select_from(current_summaries)).scalar() == len(rows)
        assert [figures(s) for s in queries.summaries(session, rows, None)] == [
            figures(s) for s in queries.compute(session, rows, None)]
    reference = populated()
    feed.batch(reference.events)
    for moment in ("2021-09-12", "2021-10-13", "2021-11-05T12:05:00Z", "2021-12-12", "2022-03-01"):
        as_of = moments.parse(moment)
        assert figures(feed.summary(story.edition_id, as_of)) == figures(feed.summary(reference.edition_id, as_of)), moment


def _rows(service) -> dict[str, list[tuple]]:
    """Every fact row of a database that holds one story."""
    with service.read() as session:
        result = {}
        for table in TABLES:
            result[table.name] = sorted(map(tuple, session.execute(select(table)).all()), key=repr)
    return result


def test_apply_of_single_events_and_apply_batch_write_the_same_rows(databases):
    from services.reporting.bootstrap import bootstrap
    from tests.integration.reporting.conftest import Feeder
    from tests.support.stack import settings

    story = populated()
    one = bootstrap(settings("reporting", databases.create("rep_one"), "127.0.0.1:1"), configure_logging=False)
    many = bootstrap(settings("reporting", databases.create("rep_many"), "127.0.0.1:1"), configure_logging=False)
    Feeder(one).one_by_one(story.events)
    Feeder(many).batch(story.events)
    assert _rows(one) == _rows(many)
    assert figures(Feeder(one).summary(story.edition_id)) == Populated.expected


# -- as of -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2020-01-01", ZERO),
        ("2021-09-30", with_(ZERO, partnerships={"proposed": 3}, funding={"requested_total": "21500.00"},
                             institutions={"count": 9, "by_kind": {"library": 3, "culture_house": 2, "mal": 2, "school": 1, "ngo": 1},
                                           "by_district": {"Ochota": 3, "Wola": 2, "Mokotów": 2, "Praga-Północ": 2}})),
        ("2021-10-31", with_(Populated.expected, partnerships={"funded": 0, "rejected": 0}, funding={"granted_total": "0.00"},
                             volunteers={"joined": 1, "active": 1})),
        ("2021-11-05T12:00:00Z", with_(Populated.expected, partnerships={"funded": 1, "rejected": 0},
                                       funding={"granted_total": "6000.00"}, volunteers={"joined": 2, "active": 2})),
        ("2021-11-05T12:59", with_(Populated.expected, partnerships={"funded": 0, "rejected": 0},  # Warsaw time: 11:59Z
                                   funding={"granted_total": "0.00"}, volunteers={"joined": 2, "active": 2})),
        ("2021-11-05T14:00+01:00", with_(Populated.expected, partnerships={"funded": 2, "rejected": 0},
                                         funding={"granted_total": "12000.00"}, volunteers={"joined": 2, "active": 2})),
        ("2021-12-12", with_(Populated.expected, volunteers={"joined": 4, "active": 4})),
        ("2030-01-01", Populated.expected),
    ],
)
def test_as_of_answers_as_the_summary_stood_then(feed, world, moment, expected):
    assert figures(feed.summary(world.edition_id, moments.parse(moment))) == expected


def test_the_event_at_exactly_as_of_counts(feed, world):
    assert feed.summary(world.edition_id, at("2021-11-05 11:59:59.999999"))["partnerships"]["funded"] == 0
    assert feed.summary(world.edition_id, at("2021-11-05 12:00"))["partnerships"]["funded"] == 1


def test_every_edition_summary_at_once_agrees_with_each_alone(service, world):
    with service.read() as session:
        rows = queries.edition_rows(session)
        together = {s["edition_id"]: s for s in queries.summaries(session, rows, None)}
        for row in rows:
            alone = queries.summary(session, row, None)
            assert figures(alone) == figures(together[row["id"]])
