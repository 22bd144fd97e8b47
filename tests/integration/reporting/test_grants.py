"""Revoked and settled grants in the summary: a revoked grant is no longer funded, a settlement counts what was spent,
as of any moment, in any order of arrival, each figure traced to its events."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from contracts.funding import FundingGranted, FundingRevoked, FundingSettled
from services.reporting import moments
from services.reporting.readmodel import queries, report
from services.reporting.readmodel.grants import GrantState
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.grants_story import (
    AWAITING,
    MOMENTS,
    OPEN,
    REVOKED,
    SETTLED,
    SETTLED_FIGURES,
    WITHDRAWN,
    figures,
    story,
)
from tests.integration.reporting.scenario import ZERO, at, new_id, proposed, rebuilt, wrap


@pytest.fixture(scope="module")
def told(service):
    """The story applied in the order it happened."""
    found = story()
    Feeder(service).batch(found.events)
    return found


@pytest.mark.parametrize("moment", MOMENTS)
def test_each_figure_as_it_stood_on_both_sides_of_each_revocation_and_the_settlement(feed, told, moment):
    assert figures(feed.summary(told.edition_id, moments.parse(moment))) == figures(MOMENTS[moment])


def test_now_revoked_grants_are_out_of_the_funded_and_in_the_revoked_figures(feed, told):
    summary = feed.summary(told.edition_id)  # the kept summary
    assert figures(summary) == figures(SETTLED_FIGURES)
    granted_ever = Decimal(summary["funding"]["granted_total"]) + Decimal(summary["funding"]["revoked_total"])
    assert granted_ever == Decimal("26000.00")  # the five grants: nothing lost, nothing counted twice
    assert summary["partnerships"]["funded"] + summary["partnerships"]["revoked"] == 5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_order_and_any_batching_gives_the_same_figures_at_every_moment(feed, seed):
    shuffled = story()
    events = list(shuffled.events)
    random.Random(seed).shuffle(events)
    rng = random.Random(seed * 11)
    while events:
        size = rng.randint(1, 5)
        batch, events = events[:size], events[size:]
        feed.batch(batch + batch[: rng.randint(0, 1)])  # sometimes a duplicate in the same batch
    for moment, expected in MOMENTS.items():
        assert figures(feed.summary(shuffled.edition_id, moments.parse(moment))) == figures(expected), moment
    with feed.service.read() as session:  # the kept summary agrees with the facts, the corrected register's breakdowns too
        row = queries.edition(session, shuffled.edition_id)
        kept, computed = queries.summaries(session, [row], None)[0], queries.compute(session, [row], None)[0]
        assert {k: v for k, v in kept.items() if k != "as_of"} == {k: v for k, v in computed.items() if k != "as_of"}
        assert kept["institutions"]["by_district"] == {"Ochota": 2, "Wola": 1, "Włochy": 1}


def test_a_revocation_and_a_settlement_seen_before_the_proposal_and_the_grant(feed, edition):
    revoked, settled = proposed(edition, [new_id(), new_id()], "6000.00"), proposed(edition, [new_id(), new_id()], "5000.00")
    feed.batch([
        wrap(FundingRevoked(revoked.partnership_id, edition, Decimal("6000.00"), "Wycofanie"), time=at("2021-12-01 10:00"), sequence=2),
        wrap(FundingSettled(settled.partnership_id, edition, Decimal("5000.00"), Decimal("4500.00"), Decimal("500.00")),
             time=at("2022-01-20 10:00"), sequence=2),
    ])
    early = feed.summary(edition)
    assert early["partnerships"] == ZERO["partnerships"] | {"revoked": 1, "settled": 1}
    assert early["funding"] == ZERO["funding"] | {"revoked_total": "6000.00", "spent_total": "4500.00", "returned_total": "500.00"}
    feed.batch([
        wrap(revoked, time=at("2021-09-10 10:00")), wrap(settled, time=at("2021-09-11 10:00")),
        wrap(FundingGranted(revoked.partnership_id, edition, Decimal("6000.00"), Decimal("6000.00")), time=at("2021-11-05 12:00")),
        wrap(FundingGranted(settled.partnership_id, edition, Decimal("5000.00"), Decimal("6000.00")), time=at("2021-11-05 12:01")),
    ])
    late = feed.summary(edition)
    assert late["partnerships"] == ZERO["partnerships"] | {"proposed": 2, "funded": 1, "revoked": 1, "settled": 1}
    assert late["funding"] == ZERO["funding"] | {"requested_total": "11000.00", "granted_total": "5000.00",
                                                 "revoked_total": "6000.00", "spent_total": "4500.00", "returned_total": "500.00"}
    assert feed.summary(edition, at("2021-11-30 00:00"))["funding"]["granted_total"] == "11000.00"  # before the revocation


def _sources(client, edition_id: str, field: str, as_of: str | None = None) -> dict:
    query = {"field": field} | ({"as_of": as_of} if as_of else {})
    response = client.get(f"/api/v1/editions/{edition_id}/summary/sources", query_string=query)
    assert response.status_code == 200
    return response.get_json()


NEW_FIELDS = ("partnerships.funded", "partnerships.revoked", "partnerships.settled", "funding.granted_total",
              "funding.revoked_total", "funding.spent_total", "funding.returned_total")


@pytest.mark.parametrize("field", NEW_FIELDS)
@pytest.mark.parametrize("as_of", [None, "2022-11-30", "2023-01-19"])
def test_every_grant_figure_is_rebuilt_from_the_events_its_sources_list(client, told, field, as_of):
    trace = _sources(client, told.edition_id, field, as_of)
    summary = client.get(f"/api/v1/editions/{told.edition_id}/summary", query_string={"as_of": as_of} if as_of else {}).get_json()
    group, name = field.split(".")
    assert trace["value"] == summary[group][name] == rebuilt(trace)
    known = {e.id: e for e in told.events}
    for source in trace["sources"]:
        event = known[source["event_id"]]
        assert (source["type"], source["subject"]) == (event.type, event.subject)


def test_the_sources_of_revocations_and_settlements_name_those_events(client, told):
    def listed(field, as_of=None):
        return [(s["type"], s["contributes"]["title"], s["contributes"].get("amount"))
                for s in _sources(client, told.edition_id, field, as_of)["sources"]]

    assert listed("partnerships.revoked") == [("FundingRevoked", WITHDRAWN, "5000.00"), ("FundingRevoked", REVOKED, "8000.00")]
    assert listed("partnerships.revoked", "2022-11-30") == [("FundingRevoked", WITHDRAWN, "5000.00")]
    assert listed("funding.revoked_total", "2022-10-31") == []
    assert sorted(listed("partnerships.funded")) == [("FundingGranted", t, a) for t, a in
                                                      sorted([(SETTLED, "6000.00"), (AWAITING, "4000.00"), (OPEN, "3000.00")])]
    assert len(listed("funding.granted_total", "2022-11-30")) == 4  # the staff's revocation came on 1 December
    assert listed("funding.spent_total") == [("FundingSettled", SETTLED, "5400.00")]
    assert listed("funding.returned_total") == [("FundingSettled", SETTLED, "600.00")]
    assert listed("partnerships.settled", "2023-01-19") == []  # the report was still on its way


@pytest.mark.parametrize("moment, states", [
    ("2022-10-31", {SETTLED: "unreported", WITHDRAWN: "unreported", REVOKED: "unreported", AWAITING: "unreported",
                    OPEN: "unreported"}),
    ("2023-01-11", {SETTLED: "awaiting", WITHDRAWN: "revoked", REVOKED: "revoked", AWAITING: "unreported", OPEN: "unreported"}),
    ("2023-01-13", {SETTLED: "returned", WITHDRAWN: "revoked", REVOKED: "revoked", AWAITING: "unreported", OPEN: "unreported"}),
    ("2023-01-17", {SETTLED: "awaiting", WITHDRAWN: "revoked", REVOKED: "revoked", AWAITING: "unreported", OPEN: "unreported"}),
    ("2030-01-01", {SETTLED: "settled", WITHDRAWN: "revoked", REVOKED: "revoked", AWAITING: "awaiting", OPEN: "unreported"}),
])
def test_each_grants_settlement_state_as_it_stood(service, told, moment, states):
    with service.read() as session:
        found = report.build(session, queries.edition(session, told.edition_id), moments.parse(moment))
    assert {g["title"]: g["state"] for g in found.grants} == states
    settled = next(g for g in found.grants if g["title"] == SETTLED)
    # What was stated after the moment stays out: the spent amount only once the settlement was accepted.
    assert (settled["spent_gr"], settled["returned_gr"]) == ((540000, 60000) if states[SETTLED] == "settled" else (None, None))


@pytest.mark.parametrize("moment", [*MOMENTS, "2023-01-11"])
def test_the_pages_settlement_tallies_agree_with_the_summary(service, told, moment):
    with service.read() as session:
        found = report.build(session, queries.edition(session, told.edition_id), moments.parse(moment))
    by_state = {t.state: t for t in found.settlement()}
    summary = found.summary
    assert by_state[GrantState.SETTLED].count == summary["partnerships"]["settled"]
    assert queries.money(by_state[GrantState.SETTLED].spent_gr) == summary["funding"]["spent_total"]
    assert queries.money(by_state[GrantState.SETTLED].returned_gr) == summary["funding"]["returned_total"]
    assert by_state[GrantState.REVOKED].count == summary["partnerships"]["revoked"]
    assert queries.money(by_state[GrantState.REVOKED].amount_gr) == summary["funding"]["revoked_total"]
    in_force = [t for t in found.settlement() if t.state is not GrantState.REVOKED]
    assert sum(t.count for t in in_force) == summary["partnerships"]["funded"] == len(found.funded)
    assert queries.money(sum(t.amount_gr for t in in_force)) == summary["funding"]["granted_total"]
    assert found.open_grants() == summary["partnerships"]["funded"] - summary["partnerships"]["settled"]


def test_after_the_last_report_two_grants_are_still_open_one_awaiting_acceptance(service, told):
    with service.read() as session:
        found = report.build(session, queries.edition(session, told.edition_id), None)
    by_state = {t.state: t.count for t in found.settlement()}
    assert by_state == {GrantState.SETTLED: 1, GrantState.AWAITING: 1, GrantState.RETURNED: 0, GrantState.UNREPORTED: 1,
                        GrantState.REVOKED: 2}
    assert found.open_grants() == 2 and figures(found.summary) == figures(SETTLED_FIGURES)
