"""Summaries `as_of` a moment: computed from the event times, as the summary stood then."""

from __future__ import annotations

import pytest

from services.reporting import moments
from services.reporting.readmodel import queries
from tests.integration.reporting.scenario import ZERO, Populated, at, figures, with_


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
