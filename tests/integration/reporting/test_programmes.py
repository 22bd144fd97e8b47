"""A programme's totals across editions, checked against a replay of the same events in plain Python: each library and
each volunteer counted once however many editions they took part in, as of any moment; and the training figures of
each edition, as of both sides of what changed them, with their sources."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from contracts.applications import (
    EditionOpened,
    InstitutionEnrolled,
    InstitutionRegistered,
    MonitoringVisitMade,
    TrainingHeld,
    VolunteeringProgrammeAdopted,
)
from contracts.volunteers import VolunteerHoursApproved, VolunteerJoined, VolunteerLeft
from services.reporting import moments
from services.reporting.readmodel.figures import MEASURES
from tests.integration.reporting import library_story
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.library_story import TRAINING_2017, TRAINING_2017_2018, TRAINING_2018
from tests.integration.reporting.scenario import rebuilt


@pytest.fixture(scope="module")
def library(service):
    story = library_story.story()
    Feeder(service).batch(story.events)
    return story


def replayed(story, first: int, last: int, as_of: str | None) -> dict:
    """The programme's figures folded from the events themselves, in Python: the oracle the SQL read is checked against."""
    moment = moments.parse(as_of) if as_of else None
    seen = [e.data for e in story.events if moment is None or e.time <= moment]
    wanted = {e.edition_id for e in seen if isinstance(e, EditionOpened) and e.programme == "libraries" and first <= e.year <= last}

    def of(kind):
        return [e for e in seen if isinstance(e, kind) and e.edition_id in wanted]

    district = {e.institution_id: e.district for e in seen if isinstance(e, InstitutionRegistered)}
    libraries = {e.institution_id for e in of(InstitutionEnrolled)}
    joined, left = of(VolunteerJoined), {e.membership_id for e in of(VolunteerLeft)}
    trainings, visits = of(TrainingHeld), of(MonitoringVisitMade)
    return {
        "institutions": {"count": len(libraries), "by_kind": {"library": len(libraries)} if libraries else {},
                         "by_district": dict(sorted(Counter(district[i] for i in libraries).items()))},
        "volunteers": {"joined": len({j.volunteer_id for j in joined}),
                       "active": len({j.volunteer_id for j in joined if j.membership_id not in left}),
                       "hours_approved": f"{sum((h.hours for h in of(VolunteerHoursApproved)), Decimal(0)):.2f}"},
        "training": {
            "sessions": len(trainings),
            "hours": f"{sum((t.hours for t in trainings), Decimal(0)):.2f}",
            "institutions_trained": len({i for t in trainings for i in t.institution_ids}),
            "monitoring_visits": len(visits),
            "institutions_visited": len({v.institution_id for v in visits}),
            "programmes_adopted": len({a.institution_id for a in of(VolunteeringProgrammeAdopted)}),
        },
    }


def totals(client, first=None, last=None, as_of=None, **extra) -> dict:
    query = {k: v for k, v in {"from_year": first, "to_year": last, "as_of": as_of, **extra}.items() if v is not None}
    response = client.get("/api/v1/programmes/libraries/summary", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_two_editions_together_count_the_library_and_the_volunteer_of_both_once(client, library):
    each = [client.get(f"/api/v1/editions/{library.editions[year]}/summary").get_json() for year in (2017, 2018)]
    assert [s["institutions"]["count"] for s in each] == [3, 2]  # the withdrawn library stays counted in 2017
    assert [s["volunteers"]["joined"] for s in each] == [3, 2]
    assert [s["training"] for s in each] == [TRAINING_2017, TRAINING_2018]
    body = totals(client, 2017, 2018)
    assert (body["programme"], body["from_year"], body["to_year"]) == ("libraries", 2017, 2018)
    assert [(e["year"], e["name"]) for e in body["editions"]] == [
        (2017, "Rozwój wolontariatu w bibliotekach – edycja I"), (2018, "Rozwój wolontariatu w bibliotekach – edycja II")]
    assert body["institutions"]["count"] == 4 < 3 + 2  # the Ochota library took part in both
    assert [s["volunteers"]["hours_approved"] for s in each] == ["20.50", "10.00"]
    assert body["volunteers"] == {"joined": 4, "active": 3, "hours_approved": "30.50"}  # Ala joined in both
    assert body["training"] == TRAINING_2017_2018
    assert body["partnerships"]["proposed"] == 0 and body["funding"]["granted_total"] == "0.00"


@pytest.mark.parametrize("as_of", [None, "2017-03-10T15:59:59Z", "2017-06-30", "2017-12-31", "2018-03-12T16:00:00Z", "2019-12-31"])
@pytest.mark.parametrize("years", [(2017, 2017), (2017, 2018), (2018, 2019), (2017, 2019), (2020, 2021)])
def test_the_totals_equal_a_replay_of_the_same_events(client, library, years, as_of):
    body = totals(client, *years, as_of=as_of)
    assert {k: body[k] for k in ("institutions", "volunteers", "training")} == replayed(library, *years, as_of)


def test_as_of_between_the_editions_covers_only_the_one_opened_by_then(client, library):
    body = totals(client, 2017, 2018, as_of="2017-12-31")
    assert [e["edition_id"] for e in body["editions"]] == [library.editions[2017]]
    assert body["as_of"] == "2017-12-31T22:59:59.999999Z"
    assert body["institutions"]["count"] == 3 and body["volunteers"] == {"joined": 3, "active": 2, "hours_approved": "20.50"}
    assert body["training"] == TRAINING_2017


def test_without_years_the_totals_cover_every_edition_of_the_programme(client, library):
    body = totals(client)
    assert (body["from_year"], body["to_year"]) == (2017, 2019)
    assert len(body["editions"]) == 3  # never the edition staff did not open
    assert library.unopened not in [e["edition_id"] for e in body["editions"]]
    assert body["institutions"]["count"] == 5 and body["volunteers"]["joined"] == 5
    empty = client.get("/api/v1/programmes/care_homes/summary").get_json()
    assert (empty["from_year"], empty["editions"], empty["institutions"]["count"]) == (None, [], 0)


@pytest.mark.parametrize("field", ["institutions.count", "institutions.by_district.Ochota", "volunteers.joined", "volunteers.active",
                                   *MEASURES])
@pytest.mark.parametrize("as_of", [None, "2017-12-31"])
def test_every_total_is_rebuilt_from_the_events_its_sources_list(client, library, field, as_of):
    query = {"field": field, "from_year": 2017, "to_year": 2018} | ({"as_of": as_of} if as_of else {})
    response = client.get("/api/v1/programmes/libraries/summary/sources", query_string=query)
    assert response.status_code == 200, response.get_json()
    trace = response.get_json()
    assert trace["edition_ids"] == [e["edition_id"] for e in totals(client, 2017, 2018, as_of=as_of)["editions"]]
    assert rebuilt(trace) == trace["value"]


@pytest.mark.parametrize(("moment", "expected"), [
    ("2017-03-10T15:59:59Z", {**dict.fromkeys(TRAINING_2017, 0), "hours": "0.00"}),
    ("2017-03-10T16:00:00Z", {"sessions": 1, "hours": "6.00", "institutions_trained": 2, "monitoring_visits": 0,
                              "institutions_visited": 0, "programmes_adopted": 0}),
    ("2017-05-09T12:00:00Z", {"sessions": 2, "hours": "10.50", "institutions_trained": 2, "monitoring_visits": 2,
                              "institutions_visited": 2, "programmes_adopted": 0}),
    ("2017-08-31", {**TRAINING_2017, "programmes_adopted": 0}),
    ("2017-09-01T10:00:00Z", TRAINING_2017),
])
def test_an_editions_training_figures_as_of_both_sides_of_each_event_with_their_sources(client, library, moment, expected):
    edition = library.editions[2017]
    assert client.get(f"/api/v1/editions/{edition}/summary", query_string={"as_of": moment}).get_json()["training"] == expected
    for field in (f for f in MEASURES if f.startswith("training.")):
        trace = client.get(f"/api/v1/editions/{edition}/summary/sources", query_string={"field": field, "as_of": moment}).get_json()
        assert rebuilt(trace) == expected[field.split(".")[1]], field
        assert all(s["time"] <= moments.parse(moment).isoformat().replace("+00:00", "Z") for s in trace["sources"])


def test_the_sources_of_the_trainings_name_each_training_and_its_hours(client, library):
    trace = client.get(f"/api/v1/editions/{library.editions[2017]}/summary/sources", query_string={"field": "training.hours"}).get_json()
    assert trace["derivation"] == "sum hours" and trace["value"] == "10.50"
    assert [(s["type"], s["contributes"]["title"], s["contributes"]["hours"]) for s in trace["sources"]] == [
        ("TrainingHeld", "Wolontariat w bibliotece: podstawy", "6.00"), ("TrainingHeld", "Wizyta w bibliotece w Krakowie", "4.50")]
    adopted = client.get(f"/api/v1/editions/{library.editions[2017]}/summary/sources",
                         query_string={"field": "training.programmes_adopted"}).get_json()
    assert [s["contributes"] for s in adopted["sources"]] == [{"institution_id": library.libraries[0], "adopted_on": "2017-09-01"}]


def test_a_partnership_editions_training_figures_are_zeros(client, world):
    assert client.get(f"/api/v1/editions/{world.edition_id}/summary").get_json()["training"] == {
        **dict.fromkeys(TRAINING_2017, 0), "hours": "0.00"}


@pytest.mark.parametrize(("path", "status", "names"), [
    ("/api/v1/programmes/biblioteki/summary", 404, None),
    ("/api/v1/programmes/libraries/summary?from_year=2019&to_year=2017", 422, "to_year"),
    ("/api/v1/programmes/libraries/summary?from_year=1999", 422, "from_year"),
    ("/api/v1/programmes/libraries/summary?from_year=dwa", 422, "from_year"),
    ("/api/v1/programmes/libraries/summary?year=2017", 422, "year"),
    ("/api/v1/programmes/libraries/summary?as_of=wczoraj", 422, "as_of"),
    ("/api/v1/programmes/libraries/summary/sources?field=training.nope", 422, "field"),
])
def test_refusals_name_what_to_correct(client, library, path, status, names):
    response = client.get(path)
    assert response.status_code == status
    body = response.get_json()
    assert body["message"]
    if names:
        assert names in body["errors"]["query"]


def test_the_totals_need_a_token(client, library):
    assert client.anonymous().get("/api/v1/programmes/libraries/summary").status_code == 401


def test_the_totals_of_every_figure_are_those_of_the_edition_alone_when_the_range_holds_one(client, library):
    alone = client.get(f"/api/v1/editions/{library.editions[2018]}/summary").get_json()
    body = totals(client, 2018, 2018)
    assert {k: body[k] for k in ("partnerships", "funding", "institutions", "volunteers", "training")} == {
        k: alone[k] for k in ("partnerships", "funding", "institutions", "volunteers", "training")}



@pytest.mark.parametrize("programme", ["libraries", "partnerships"])
def test_now_the_totals_summed_from_the_kept_summaries_equal_those_counted_in_the_facts(client, library, world, programme):
    def body(**query):
        found = client.get(f"/api/v1/programmes/{programme}/summary", query_string=query).get_json()
        return {k: v for k, v in found.items() if k != "as_of"}

    now = body()
    assert now == body(as_of="2100-01-01")  # the kept summaries' sums, and every figure read from the facts
    assert now["training" if programme == "libraries" else "partnerships"] != body(as_of="2000-01-01").get("training")
