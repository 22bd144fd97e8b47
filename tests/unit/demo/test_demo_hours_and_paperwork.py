"""The volunteers' hours and paperwork in the demonstration data: what the volunteers service's rules would accept,
and what its list of missing paperwork would show."""

from __future__ import annotations

import collections
import datetime
from decimal import Decimal

from ochotnicy import demo_data as data
from services.volunteers.domain import hours as rules
from services.volunteers.domain import paperwork

TODAY = datetime.date.today()


def test_every_entry_is_one_the_rules_accept_and_most_are_approved():
    standing: dict[tuple[str, str], str] = {}
    for entry in data.HOURS:
        membership = entry.membership
        rules.check_month(entry.month, joined_on=membership.joined_on, left_on=membership.left_on, today=TODAY)
        rules.check_hours(entry.month, entry.hours)
        assert entry.hours == entry.hours.quantize(Decimal("0.01"))
        assert standing.get((membership.key, entry.month), "declined") == "declined"  # 409 hours_already_recorded
        standing[membership.key, entry.month] = entry.decision
        assert rules.first_day(entry.month).year == data.EDITION_BY_KEY[membership.edition].year
        if entry.decision != "declined":
            assert 4 <= entry.hours <= 20
    decisions = collections.Counter(entry.decision for entry in data.HOURS)
    assert decisions["approved"] > 0.95 * len(data.HOURS) and 5 <= decisions["declined"] <= 20
    assert 3 <= decisions["waiting"] <= 12


def test_a_declined_month_is_entered_again_with_fewer_hours_and_approved():
    entries = {(e.membership.key, e.month, e.entry): e for e in data.HOURS}
    declined = [e for e in data.HOURS if e.decision == "declined"]
    assert declined and all(e.reason for e in declined) and "Instytucja potwierdziła mniej godzin." in {
        e.reason for e in declined}
    for entry in declined:
        again = entries[entry.membership.key, entry.month, entry.entry + 1]
        assert again.decision == "approved" and again.hours < entry.hours


def test_every_library_volunteer_has_hours_and_none_after_their_library_withdrew():
    assert {e.membership.key for e in data.HOURS} == {m.key for m in data.MEMBERSHIPS}
    withdrawn = {(w.edition, w.institution): w.on for w in data.WITHDRAWALS}
    for entry in data.HOURS:
        left = withdrawn.get((entry.membership.edition, entry.membership.institution))
        assert left is None or rules.first_day(entry.month) < left


def _missing(membership: data.Membership, papers: paperwork.Paperwork, birth_date: datetime.date | None) -> set[str]:
    minor = paperwork.is_minor(birth_date, membership.joined_on)
    found = paperwork.compliance(papers, minor=minor, joined_on=membership.joined_on, left_on=membership.left_on,
                                 today=TODAY)
    return {m.code for m in found}


def test_the_list_of_missing_paperwork_shows_a_few_of_each_kind():
    """Agreements entered after joining for all but a few; the short engagements insured but for a few; the one birth
    date corrected after joining makes its volunteer a minor who joined without the guardian's consent."""
    agreed = {a.membership.key: a.signed_on for a in data.AGREEMENTS}
    born = {v.key: v.birth_date for v in data.VOLUNTEERS}
    born |= {r.volunteer: r.birth_date for r in data.RECTIFICATIONS}
    missing = collections.Counter()
    for membership in data.MEMBERSHIPS:
        signed_on = agreed.get(membership.key, membership.agreement_signed_on)
        papers = paperwork.Paperwork(signed_on, membership.accident_insurance, membership.guardian_consent)
        missing.update(_missing(membership, papers, born[membership.volunteer]))
        if signed_on is not None:
            assert abs((signed_on - membership.joined_on).days) <= 7
    assert 5 <= missing[paperwork.AGREEMENT_MISSING] <= 20
    assert 2 <= missing[paperwork.INSURANCE_MISSING] <= 4
    assert missing[paperwork.GUARDIAN_CONSENT_MISSING] == len(data.RECTIFICATIONS) == 1


def test_minors_join_with_their_guardians_consent_and_short_engagements_last_ten_to_twenty_days():
    by_key = {v.key: v for v in data.VOLUNTEERS}
    minors = [m for m in data.MEMBERSHIPS if paperwork.is_minor(by_key[m.volunteer].birth_date, m.joined_on)]
    assert len(minors) >= 3 and all(m.guardian_consent for m in minors)  # else 422 guardian_consent_required
    short = [m for m in data.MEMBERSHIPS if m.left_on and m.left_on < paperwork.long_from(m.joined_on)]
    assert short and all(10 <= (m.left_on - m.joined_on).days + 1 <= 20 for m in short)
    assert {m.accident_insurance for m in short} == {True, False}
    [corrected] = data.RECTIFICATIONS
    [membership] = [m for m in data.MEMBERSHIPS if m.volunteer == corrected.volunteer]
    assert not paperwork.is_minor(by_key[corrected.volunteer].birth_date, membership.joined_on)
    assert paperwork.is_minor(corrected.birth_date, membership.joined_on) and not membership.guardian_consent


def test_the_earlier_memberships_join_as_first_loaded_without_paperwork():
    """Their Idempotency-Keys were used before the demo had paperwork: the same request must replay."""
    earlier = [m for m in data.MEMBERSHIPS if int(m.volunteer[1:]) <= 312]
    assert len(earlier) == 463 and all(m.paperwork() == {} for m in earlier)
    assert all(v.birth_date is None for v in data.VOLUNTEERS if int(v.key[1:]) <= 312)
