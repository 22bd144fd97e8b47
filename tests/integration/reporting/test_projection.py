"""The reporting projection: each event type, whichever order its facts arrive in."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import select

from contracts.applications import (
    EditionClosed,
    InstitutionEnrolled,
    InstitutionRegistered,
    MALVerificationFailed,
    MALVerified,
    PartnershipWithdrawn,
)
from contracts.funding import FundingGranted, FundingRejected
from contracts.volunteers import VolunteerJoined, VolunteerLeft
from services.reporting.readmodel import editions
from tests.integration.reporting.scenario import ZERO, at, edition_opened, figures, new_id, proposed, with_, wrap


def institution(feed, kind="library", district="Wola", registered=True) -> str:
    institution_id = new_id()
    if registered:
        feed.batch([wrap(InstitutionRegistered(institution_id, f"Instytucja {institution_id[:6]}", kind, district, False),
                         time=at("2021-08-01 09:00"))])
    return institution_id


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
    assert summary["partnerships"] == ZERO["partnerships"] | {"proposed": 2, "withdrawn": 1}
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
    assert late["funding"] == ZERO["funding"] | {"requested_total": "6000.00", "granted_total": "5500.00"}
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
    assert feed.summary(edition)["volunteers"] == {"joined": 2, "active": 2, "hours_approved": "0.00"}


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
    assert feed.summary(edition)["volunteers"] == {"joined": 2, "active": 1, "hours_approved": "0.00"}


def test_volunteer_left_before_volunteer_joined_arrives(feed, edition):
    a = institution(feed)
    anna, membership = new_id(), new_id()
    feed.batch([wrap(VolunteerLeft(anna, membership, a, edition, datetime.date(2021, 11, 1)), time=at("2021-11-01 10:00"), sequence=2)])
    assert feed.summary(edition)["volunteers"] == {"joined": 0, "active": 0, "hours_approved": "0.00"}
    feed.batch([wrap(VolunteerJoined(anna, membership, a, edition, None, datetime.date(2021, 10, 1)), time=at("2021-10-01 10:00"))])
    assert feed.summary(edition)["volunteers"] == {"joined": 1, "active": 0, "hours_approved": "0.00"}
    assert feed.summary(edition, as_of=at("2021-10-15 00:00"))["volunteers"] == {"joined": 1, "active": 1, "hours_approved": "0.00"}
