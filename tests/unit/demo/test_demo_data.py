"""The demonstration data on its own: the seeds' figures, the programme's rules, one name per register."""

from __future__ import annotations

import collections
import datetime
from decimal import Decimal

from contracts import vocabulary
from ochotnicy import demo_data as data
from ochotnicy import demo_hours, demo_paperwork, demo_volunteers


def test_the_data_implies_exactly_the_seeds_figures():
    figures = data.expected()
    assert figures[data.SPRING]["partnerships"]["funded"] == 24
    assert figures[data.AUTUMN]["partnerships"]["funded"] == 15
    assert figures[data.AUTUMN]["partnerships"]["mal_verified"] == 15
    together = data.expected_across({data.LIBRARIES_2017, data.LIBRARIES_2018})
    assert together["institutions"]["count"] == 24 and together["volunteers"]["joined"] > 300
    for key in (data.LIBRARIES_2017, data.LIBRARIES_2018):  # each edition alone: fewer (some took part in both)
        assert figures[key]["institutions"]["count"] < 24
        assert figures[key]["volunteers"]["joined"] < together["volunteers"]["joined"]
    assert figures[data.LIBRARIES_2019]["institutions"]["count"] == 45
    autumn, spring_2022 = figures[data.AUTUMN], figures[data.SPRING_2022]
    assert (autumn["partnerships"]["settled"], autumn["funding"]["returned_total"]) == (15, "439.50")
    assert {k: spring_2022["partnerships"][k] for k in ("funded", "withdrawn", "revoked")} == {
        "funded": 8, "withdrawn": 1, "revoked": 1}
    assert (spring_2022["funding"]["granted_total"], spring_2022["funding"]["revoked_total"]) == ("52400.00", "6000.00")


def test_editions_carry_the_rules_of_their_rounds():
    spring, autumn = data.EDITION_BY_KEY[data.SPRING], data.EDITION_BY_KEY[data.AUTUMN]
    caps = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
            {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]
    assert (spring.round, spring.mal_required, spring.grant_caps) == ("spring", False, caps)
    assert (autumn.round, autumn.mal_required, autumn.grant_caps) == ("autumn", True, caps)
    years = []
    for key in data.LIBRARY_EDITIONS:
        edition = data.EDITION_BY_KEY[key]
        assert (edition.programme, edition.kind, edition.round, edition.grant_caps) == ("libraries", "enrolment", None, [])
        years.append(edition.year)
    assert years == [2017, 2018, 2019]  # one edition a year: the merged 2017–2018 edition is gone
    assert len({e.name for e in data.EDITIONS}) == len(data.EDITIONS)
    assert not {e.name for e in data.EDITIONS} & set(data.REPLACED)


def test_every_grant_is_within_the_cap_the_request_and_the_budget():
    for proposal in data.PROPOSALS:
        assert 2 <= proposal.size == len(set(proposal.members))
        assert proposal.requested <= proposal.cap
        if proposal.grants:
            assert Decimal("0") < proposal.granted <= proposal.requested
            assert (proposal.outcome == "revoked") == bool(proposal.reason)  # why it withdrew after the grant
        else:
            assert proposal.granted is None and proposal.reason
    for edition in data.EDITIONS:
        granted = sum((p.granted for p in data.PROPOSALS if p.edition == edition.key and p.granted), Decimal("0"))
        assert edition.budget is None or granted <= edition.budget
    sizes = collections.Counter(p.size for p in data.PROPOSALS if p.grants)
    assert set(sizes) == {2, 3, 4, 5}  # a realistic mix of both size brackets


def test_each_autumn_partnership_names_a_mal_among_its_partners_and_only_verified_ones_are_funded():
    for proposal in (p for p in data.PROPOSALS if p.edition == data.AUTUMN):
        assert proposal.mal in proposal.members
        institution = data.INSTITUTION_BY_KEY[proposal.mal]
        assert institution.is_mal or institution.kind == "mal"
        assert (proposal.outcome == "granted") == proposal.mal_verified
        assert proposal.mal_verified or proposal.mal_reason


def test_institutions_are_registered_once_with_the_contracts_vocabulary():
    names = collections.Counter((i.district, " ".join(i.name.split()).casefold()) for i in data.INSTITUTIONS)
    assert max(names.values()) == 1
    assert len({i.key for i in data.INSTITUTIONS}) == len(data.INSTITUTIONS)
    for institution in data.INSTITUTIONS:
        assert institution.kind in vocabulary.INSTITUTION_KINDS and institution.district in vocabulary.DISTRICTS
    referenced = {k for p in data.PROPOSALS for k in p.members} | {m.institution for m in data.MEMBERSHIPS}
    referenced |= {k for keys in data.ENROLMENTS.values() for k in keys}
    assert referenced == set(data.INSTITUTION_BY_KEY)  # every institution takes part in something
    for keys in data.ENROLMENTS.values():
        assert len(set(keys)) == len(keys)
        assert all(data.INSTITUTION_BY_KEY[k].kind == "library" for k in keys)
    assert {data.INSTITUTION_BY_KEY[k].district for k in data.ENROLMENTS[data.LIBRARIES_2019]} == set(vocabulary.DISTRICTS)


def test_the_seeds_institutions_are_where_the_seeds_put_them():
    by_name = {i.name: i for i in data.INSTITUTIONS}
    autumn = [set(p.members) for p in data.PROPOSALS if p.edition == data.AUTUMN]
    wlochy = {by_name["Dom Kultury „Włochy”"].key, by_name["Biblioteka Publiczna Dzielnicy Włochy m.st. Warszawy"].key}
    ochota = {by_name[n].key for n in ("Ognisko Pracy Pozaszkolnej na Ochocie",
                                       "Biblioteka „Pod Skrzydłami” Wypożyczalni dla dzieci i młodzieży nr 75",
                                       "Miejsce Aktywności Lokalnej SURMA – Ośrodek Pomocy Społecznej")}
    assert any(wlochy <= members for members in autumn)
    assert ochota in autumn


def test_volunteers_are_distinct_people_whose_memberships_fit_their_editions():
    assert len({v.key for v in data.VOLUNTEERS}) == len({v.email for v in data.VOLUNTEERS}) == len(data.VOLUNTEERS)
    assert all(v.email.endswith("@example.org") and v.email.isascii() for v in data.VOLUNTEERS)
    known = {v.key for v in data.VOLUNTEERS}
    assert len({m.key for m in data.MEMBERSHIPS}) == len(data.MEMBERSHIPS)
    for membership in data.MEMBERSHIPS:
        assert membership.volunteer in known
        assert membership.institution in data.ENROLMENTS[membership.edition]
        edition = data.EDITION_BY_KEY[membership.edition]
        assert edition.opens_on <= membership.joined_on <= datetime.date(edition.year, 12, 31)
        if membership.left_on is not None:
            assert membership.joined_on <= membership.left_on <= datetime.date(edition.year, 12, 31)
    first_two = (data.LIBRARIES_2017, data.LIBRARIES_2018)
    per_library = collections.Counter(m.institution for m in data.MEMBERSHIPS if m.edition in first_two)
    assert set(per_library) == set(data.LIBRARIES_2017_2018)  # every library recruited someone
    in_both = {m.volunteer for m in data.MEMBERSHIPS if m.edition == data.LIBRARIES_2017}
    in_both &= {m.volunteer for m in data.MEMBERSHIPS if m.edition == data.LIBRARIES_2018}
    assert 30 <= len(in_both) <= 150  # some carried on from the 1st edition into the 2nd


def test_the_data_is_the_same_every_time_it_is_computed():
    again = demo_volunteers._volunteers()
    assert again == (demo_volunteers.VOLUNTEERS, demo_volunteers.MEMBERSHIPS)
    assert (demo_paperwork._newcomers(), demo_paperwork._agreements(), demo_hours._hours()) == (
        (demo_paperwork.VOLUNTEERS, demo_paperwork.MEMBERSHIPS), data.AGREEMENTS, data.HOURS)
    assert [e.body() for e in data.EDITIONS] == [e.body() for e in data.EDITIONS]


def test_only_institutions_an_editions_programme_is_for_enrol_in_it():
    from services.applications.domain.editions import ENROLLING

    kinds = {institution.key: institution.kind for institution in data.INSTITUTIONS}
    for edition_key, enrolled in data.ENROLMENTS.items():
        programme = data.EDITION_BY_KEY[edition_key].programme
        assert {kinds[key] for key in enrolled} <= set(ENROLLING[programme]), edition_key


def test_volunteers_join_only_institutions_taking_part_in_the_edition():
    taking_part = {(edition, institution) for edition, enrolled in data.ENROLMENTS.items() for institution in enrolled}
    taking_part |= {(p.edition, member) for p in data.PROPOSALS if p.outcome != "withdrawn" for member in p.members}
    assert [m.key for m in data.MEMBERSHIPS if (m.edition, m.institution) not in taking_part] == []


def test_the_autumn_grants_are_settled_within_them_and_a_few_return_money():
    granted = {p.key: p.granted for p in data.PROPOSALS if p.edition == data.AUTUMN and p.grants}
    assert set(data.SETTLEMENT_BY_PROPOSAL) == set(granted) and len(data.SETTLEMENTS) == 15
    returned = {}
    for settlement in data.SETTLEMENTS:
        for report in settlement.reports:
            assert Decimal("0") <= report.spent <= granted[settlement.proposal]
            assert report.spent == report.spent.quantize(Decimal("0.01")) and report.hours == report.hours.quantize(Decimal("0.01"))
            assert 5 <= report.volunteers <= 40 and 5 <= report.hours / report.volunteers <= 20  # a few hours a week each
            assert datetime.date(2022, 1, 1) <= report.submitted_on <= datetime.date(2022, 1, 31)
        if settlement.returned is not None:
            first, reason = settlement.returned
            assert reason and first.submitted_on < settlement.final.submitted_on
        if settlement.final.spent < granted[settlement.proposal]:
            returned[settlement.proposal] = granted[settlement.proposal] - settlement.final.spent
    assert 3 <= len(returned) <= 8 and Decimal("12.40") in returned.values() and Decimal("150.00") in returned.values()
    assert sum(1 for s in data.SETTLEMENTS if s.returned) == 1


def test_the_2022_round_grants_within_its_budget_and_one_partnership_withdrew_after_its_grant():
    edition = data.EDITION_BY_KEY[data.SPRING_2022]
    assert (edition.year, edition.round, edition.kind) == (2022, "spring", "partnership")
    proposals = [p for p in data.PROPOSALS if p.edition == data.SPRING_2022]
    [revoked] = [p for p in proposals if p.outcome == "revoked"]
    assert revoked.granted and revoked.reason
    assert sum(p.granted for p in proposals if p.grants) <= edition.budget
    assert not any(p.key in data.SETTLEMENT_BY_PROPOSAL for p in proposals)  # the round's reports are not due yet
