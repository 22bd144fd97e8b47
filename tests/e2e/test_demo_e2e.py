"""The demonstration data, loaded through the public APIs into the whole stack, yields exactly the
figures of the programme's texts (seeds) — the library programme's 2017–2018 total through the programme
summary — records the library editions' course and its volunteers' hours and paperwork, settles the autumn round,
shows the 2022 grant a withdrawal took back, passes the auditors' replay, and a second load adds nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from infra import config, polish
from ochotnicy import audit, cli, demo, demo_report
from ochotnicy import demo_data as data
from tests.e2e import demo_lists
from tests.e2e.demo_lists import SERVICES
from tests.support.live import LiveStack
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def loaded(databases, broker, tmp_path_factory):
    """The whole stack with the demo loaded once, and the summaries of its editions as they settled."""
    with LiveStack(SERVICES, databases, broker.bootstrap, tmp_path_factory.mktemp("demo")) as stack:
        out = io.StringIO()
        first = demo.load(config.load("cli", stack.environment()), out=out, progress=False)
        assert not first.skipped
        assert "Dane demonstracyjne wczytane" in out.getvalue()
        assert "edycje 2017 i 2018 razem (każdy raz): biblioteki 24, wolontariusze 312" in out.getvalue(), out.getvalue()
        together = data.expected_across({data.LIBRARIES_2017, data.LIBRARIES_2018})["volunteers"]["hours_approved"]
        assert f"zatwierdzone godziny {polish.decimal(Decimal(together))}," in out.getvalue(), out.getvalue()
        reader = stack.session("reporting:read", subject="rada")
        reports = f"{stack.url('reporting')}/api/v1"
        expected = data.expected()

        def summaries():
            found = {}
            for key, edition in first.editions.items():
                response = reader.get(f"{reports}/editions/{edition}/summary")
                if response.status_code != 200 or not demo_report.shows(response.json(), expected[key]):
                    return None
                found[key] = response.json()
            return found

        yield stack, first, wait_until(summaries, timeout=90, what="the summaries of the demo editions")


def test_the_demo_data_yields_the_seeds_figures(loaded):
    stack, first, summary = loaded
    spring, autumn = summary[data.SPRING], summary[data.AUTUMN]
    libraries_2019 = summary[data.LIBRARIES_2019]
    assert (spring["name"], spring["round"]) == ("Partnerstwa 2021 – tura wiosenna", "spring")
    assert spring["partnerships"]["funded"] == 24
    assert (autumn["name"], autumn["round"]) == ("Partnerstwa 2021 – tura jesienna", "autumn")
    assert autumn["partnerships"]["funded"] == 15
    assert autumn["partnerships"]["mal_verified"] >= 15
    assert libraries_2019["year"] == 2019 and libraries_2019["institutions"]["count"] == 45
    assert libraries_2019["institutions"]["by_kind"] == {"library": 45}
    assert len(libraries_2019["institutions"]["by_district"]) == 18  # the whole city

    # Every grant within the cap for its partnership's size; every autumn grant after a verified MAL.
    staff = stack.session("applications:write")
    for key in (data.SPRING, data.AUTUMN):
        edition = first.editions[key]
        cases = staff.get(f"{stack.url('funding')}/api/v1/cases", params={"edition_id": edition}).json()
        partnerships = {p["id"]: p for p in staff.get(f"{stack.url('applications')}/api/v1/partnerships",
                                                       params={"edition_id": edition}).json()}
        granted = [c for c in cases if c["status"] == "granted"]
        assert len(granted) == summary[key]["partnerships"]["funded"]
        for case in granted:
            cap = Decimal("6000.00") if case["size"] <= 3 else Decimal("10000.00")
            assert Decimal(case["cap"]) == cap
            assert Decimal("0") < Decimal(case["decision"]["amount"]) <= min(cap, Decimal(case["requested_amount"]))
            if key == data.AUTUMN:
                partnership = partnerships[case["partnership_id"]]
                assert partnership["mal_status"] == "verified"
                assert partnership["mal_institution_id"] in partnership["institution_ids"]
        total = sum((Decimal(c["decision"]["amount"]) for c in granted), Decimal("0"))
        assert f"{total:.2f}" == summary[key]["funding"]["granted_total"]

    # The institutions the seeds name are there, each once.
    names = [i["name"] for i in staff.get(f"{stack.url('applications')}/api/v1/institutions").json()]
    for name in ("Dom Kultury „Włochy”", "Biblioteka Publiczna Dzielnicy Włochy m.st. Warszawy",
                 "Ognisko Pracy Pozaszkolnej na Ochocie",
                 "Biblioteka „Pod Skrzydłami” Wypożyczalni dla dzieci i młodzieży nr 75",
                 "Miejsce Aktywności Lokalnej SURMA – Ośrodek Pomocy Społecznej"):
        assert names.count(name) == 1, name


def test_the_library_programme_counts_24_libraries_and_over_300_volunteers_over_2017_and_2018(loaded):
    stack, first, summary = loaded
    reader = stack.session("reporting:read", subject="rada")
    response = reader.get(f"{stack.url('reporting')}/api/v1/programmes/libraries/summary",
                          params={"from_year": 2017, "to_year": 2018})
    assert response.status_code == 200, response.text
    together = response.json()
    assert [(e["edition_id"], e["year"]) for e in together["editions"]] == [
        (first.editions[data.LIBRARIES_2017], 2017), (first.editions[data.LIBRARIES_2018], 2018)]
    assert together["institutions"]["count"] == 24 and together["institutions"]["by_kind"] == {"library": 24}
    assert together["volunteers"]["joined"] > 300
    each = [summary[data.LIBRARIES_2017], summary[data.LIBRARIES_2018]]
    for edition, year in zip(each, (2017, 2018)):  # each edition alone shows fewer: some took part in both years
        assert (edition["programme"], edition["year"]) == ("libraries", year)
        assert edition["institutions"]["count"] < 24
        assert edition["volunteers"]["joined"] < together["volunteers"]["joined"]
    assert sum(e["institutions"]["count"] for e in each) > 24
    assert sum(e["volunteers"]["joined"] for e in each) > together["volunteers"]["joined"]
    assert together["training"] == data.expected_across({data.LIBRARIES_2017, data.LIBRARIES_2018})["training"]


def test_each_library_edition_shows_its_course_and_the_libraries_that_withdrew(loaded):
    stack, first, summary = loaded
    staff = stack.session("applications:write")
    for key in data.LIBRARY_EDITIONS:
        training = summary[key]["training"]
        assert training["sessions"] >= 5 and training["monitoring_visits"] >= 2 * summary[key]["institutions"]["count"]
        assert 0 < training["programmes_adopted"] < summary[key]["institutions"]["count"]
        edition = f"{stack.url('applications')}/api/v1/editions/{first.editions[key]}"
        kinds = sorted(t["kind"] for t in staff.get(f"{edition}/trainings").json())
        assert kinds.count("study_visit") == 1 and kinds.count("meeting") == 2
        withdrawn = {e["institution_id"]: e["withdrawn_reason"] for e in staff.get(f"{edition}/enrolments").json()
                     if e["status"] == "withdrawn"}
        assert withdrawn == {first.institutions[w.institution]: w.reason for w in data.WITHDRAWALS if w.edition == key}


def test_each_library_edition_and_the_programme_count_the_hours_staff_approved(loaded):
    stack, first, summary = loaded
    expected = data.expected()
    for edition in data.EDITIONS:
        hours = summary[edition.key]["volunteers"]["hours_approved"]
        assert hours == expected[edition.key]["volunteers"]["hours_approved"]
        assert (Decimal(hours) > 0) == (edition.key in data.LIBRARY_EDITIONS)
    reader = stack.session("reporting:read", subject="rada")
    response = reader.get(f"{stack.url('reporting')}/api/v1/programmes/libraries/summary",
                          params={"from_year": 2017, "to_year": 2019})
    assert response.status_code == 200, response.text
    approved = sum((h.hours for h in data.HOURS if h.decision == "approved"), Decimal("0"))
    assert Decimal(response.json()["volunteers"]["hours_approved"]) == approved == sum(
        Decimal(summary[key]["volunteers"]["hours_approved"]) for key in data.LIBRARY_EDITIONS)


def test_the_volunteers_hours_show_declines_with_their_reasons_and_a_few_waiting(loaded):
    stack, first, _ = loaded
    staff, volunteers = stack.session("volunteers:write", subject="kontrola"), f"{stack.url('volunteers')}/api/v1"
    unsettled = [h for h in data.HOURS if h.decision != "approved"]
    for person in sorted({h.membership.volunteer for h in unsettled}):
        response = staff.get(f"{volunteers}/volunteers/{first.volunteers[person]}/hours")
        assert response.status_code == 200, response.text
        shown = {(first.hours[h.key], h.month, f"{h.hours:.2f}", h.reason) for h in data.HOURS
                 if h.membership.volunteer == person}
        status = {"approved": "approved", "declined": "declined", "waiting": "submitted"}
        assert {(e["id"], e["month"], e["hours"], e["reason"]) for e in response.json()} == shown
        assert {e["id"]: e["status"] for e in response.json()} == {
            first.hours[h.key]: status[h.decision] for h in data.HOURS if h.membership.volunteer == person}


def test_the_list_of_volunteers_shows_whom_paperwork_is_missing_for(loaded):
    """A few agreements never entered, a few short engagements uninsured, and the minor found by a corrected birth date."""
    stack, first, _ = loaded
    staff, volunteers = stack.session("volunteers:write", subject="kontrola"), f"{stack.url('volunteers')}/api/v1"
    agreed = {a.membership.key for a in data.AGREEMENTS} | {m.key for m in data.MEMBERSHIPS if m.agreement_signed_on}
    short = {m.key for m in data.MEMBERSHIPS if m.left_on and (m.left_on - m.joined_on).days < 30}
    expected = {
        "agreement_missing": {m.volunteer for m in data.MEMBERSHIPS if m.key not in agreed | short},
        "insurance_missing": {m.volunteer for m in data.MEMBERSHIPS if m.key in short and not m.accident_insurance},
        "guardian_consent_missing": {r.volunteer for r in data.RECTIFICATIONS},
    }
    for code, people in expected.items():
        response = staff.get(f"{volunteers}/volunteers", params={"missing": code, "limit": 1000})
        assert response.status_code == 200, response.text
        assert sorted(v["id"] for v in response.json()) == sorted(first.volunteers[p] for p in people), code
        assert 0 < len(people) < 20
    for volunteer in (v for v in data.VOLUNTEERS if v.birth_date):
        [membership] = staff.get(f"{volunteers}/volunteers/{first.volunteers[volunteer.key]}").json()["memberships"]
        rectified = volunteer.key in expected["guardian_consent_missing"]
        assert (membership["minor"], membership["guardian_consent"]) == (True, not rectified)


def test_the_autumn_grants_are_settled_and_the_2022_grant_of_a_partnership_that_withdrew_is_revoked(loaded):
    stack, first, _ = loaded
    staff, funding = stack.session("funding:write"), f"{stack.url('funding')}/api/v1"
    by_id = {first.partnerships[p.key]: p for p in data.PROPOSALS}
    autumn = staff.get(f"{funding}/cases", params={"edition_id": first.editions[data.AUTUMN], "settlement": "settled"}).json()
    assert len(autumn) == 15
    returned = {}
    for case in autumn:
        proposal = by_id[case["partnership_id"]]
        settlement = data.SETTLEMENT_BY_PROPOSAL[proposal.key]
        figures = case["settlement"]
        assert (case["status"], figures["granted_amount"], figures["spent_amount"]) == (
            "granted", f"{proposal.granted:.2f}", f"{settlement.final.spent:.2f}")
        assert Decimal(figures["returned_amount"]) == proposal.granted - settlement.final.spent
        assert [(r["spent_amount"], r["volunteers_engaged"], r["hours"], r["outcome"]) for r in case["reports"]] == [
            (f"{r.spent:.2f}", r.volunteers, f"{r.hours:.2f}", "returned" if r is not settlement.final else "settled")
            for r in settlement.reports]
        if figures["returned_amount"] != "0.00":
            returned[proposal.key] = figures["returned_amount"]
    assert {"12.40", "150.00"} <= set(returned.values()) and 3 <= len(returned) < 15  # most spent it all

    spring_2022 = first.editions[data.SPRING_2022]
    [revoked] = staff.get(f"{funding}/cases", params={"edition_id": spring_2022, "status": "revoked"}).json()
    proposal = by_id[revoked["partnership_id"]]
    assert proposal.outcome == "revoked" and proposal.reason in revoked["revoked_reason"]
    assert revoked["decision"]["amount"] == f"{proposal.granted:.2f}"  # the grant stays in its history
    in_force = [p.granted for p in data.PROPOSALS if p.edition == data.SPRING_2022 and p.outcome == "granted"]
    budget = staff.get(f"{funding}/editions/{spring_2022}/budget").json()
    assert (budget["grants"], budget["committed"]) == (len(in_force), f"{sum(in_force):.2f}")  # the amount came back
    history = [e["type"] for e in staff.get(f"{funding}/cases/{revoked['partnership_id']}/history").json()]
    assert history == ["FundingGranted", "FundingRevoked"]


def test_the_auditors_replay_of_the_demo_finds_no_difference_and_no_broken_rule(loaded):
    stack, _, _ = loaded
    out = io.StringIO()
    outcomes = audit.replay_services(SERVICES, out=out, environ=stack.environment())
    assert all(o.ok and not o.notes for o in outcomes), out.getvalue()
    funding = next(o for o in outcomes if o.service == "funding")
    assert funding.checked == 24 + 15 + 9 + 15  # every grant and every settlement, the one revoked since included


def test_a_second_load_adds_nothing(loaded, monkeypatch, capsys):
    stack, first, _ = loaded
    environment = stack.environment()
    settings = config.load("cli", environment)
    staff = stack.session("applications:write")
    withdrawn = first.partnerships["s27"]
    case = f"{stack.url('funding')}/api/v1/cases/{withdrawn}"
    wait_until(lambda: (r := staff.get(case)).status_code == 200 and r.json()["status"] == "withdrawn",
               what="the funding service to learn of the withdrawal")
    before_events, before_lists = demo_lists.events_per_service(stack), demo_lists.lists(stack, first.editions)
    for name, value in environment.items():
        if name.startswith("OCHOTNICY_"):
            monkeypatch.setenv(name, value)
    assert demo.load_once(settings).skipped
    capsys.readouterr()
    assert cli.main(["demo"]) == 0
    assert "już wczytane" in capsys.readouterr().out

    # Even forced through every step, it only replays: the same ids, not one new event.
    again = demo.load(settings, force=True, out=io.StringIO(), progress=False)
    assert not again.skipped
    assert (again.editions, again.institutions, again.partnerships, again.volunteers, again.memberships, again.trainings,
            again.hours) == (first.editions, first.institutions, first.partnerships, first.volunteers, first.memberships,
                             first.trainings, first.hours)
    assert demo_lists.events_per_service(stack) == before_events
    assert demo_lists.lists(stack, first.editions) == before_lists
