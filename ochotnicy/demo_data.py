"""The demonstration data: a reconstruction of the programme's 2017–2022 editions, one module per concept
(`demo_editions`, `demo_institutions`, `demo_proposals`, `demo_settlements`, `demo_volunteers`), gathered here.

What the programme's own texts say, and what this reconstruction keeps exactly:

* 2021, institution partnerships: the spring round funded 24 partnerships, the autumn round 15;
  the autumn round required a Local Activity Centre (MAL) among the partners; a partnership of
  2–3 institutions could get up to 6,000 PLN, one of 4 or more up to 10,000 PLN. The autumn round
  was summed up in January 2022: its grants are settled, a few with money returned.
* The partnership programme went on in 2022: a spring round, in which one partnership withdrew after
  its grant (the funding service takes it back by itself).
* Library volunteering development: in 2017 and 2018, 24 public libraries and more than 300
  volunteers; in 2019, the 3rd edition, 45 library branches.

The institutions the texts name (Dom Kultury „Włochy”, Biblioteka Publiczna Dzielnicy Włochy,
Ognisko Pracy Pozaszkolnej na Ochocie, Biblioteka „Pod Skrzydłami”, MAL SURMA) appear in the
autumn partnerships whose photographs the text credits them for. Everything else — the other
institutions, titles, amounts, reports, dates, volunteers, the 2022 round — is invented, plausible
and consistent. Volunteers are fictitious people with addresses at example.org.

Everything here is plain data computed without randomness, so every load sends the same requests
(the loader derives its Idempotency-Keys from these keys).
"""

from __future__ import annotations

from decimal import Decimal

from ochotnicy.demo_editions import AUTUMN, EDITION_BY_KEY, EDITIONS, LIBRARIES_2017, LIBRARIES_2019, SPRING, SPRING_2022
from ochotnicy.demo_institutions import INSTITUTION_BY_KEY, INSTITUTIONS, LIBRARIES_2017_2018, LIBRARIES_IN_2019
from ochotnicy.demo_model import Edition, Institution, Membership, Proposal, Report, Settlement, Volunteer
from ochotnicy.demo_proposals import PROPOSALS
from ochotnicy.demo_settlements import SETTLEMENT_BY_PROPOSAL, SETTLEMENTS
from ochotnicy.demo_volunteers import MEMBERSHIPS, VOLUNTEERS

__all__ = [
    "AUTUMN", "EDITIONS", "EDITION_BY_KEY", "ENROLMENTS", "INSTITUTIONS", "INSTITUTION_BY_KEY", "LIBRARIES_2017",
    "LIBRARIES_2017_2018", "LIBRARIES_2019", "LIBRARIES_IN_2019", "MEMBERSHIPS", "PROPOSALS", "SETTLEMENTS",
    "SETTLEMENT_BY_PROPOSAL", "SPRING", "SPRING_2022", "VERSION", "VOLUNTEERS", "Edition", "Institution", "Membership",
    "Proposal", "Report", "Settlement", "Volunteer", "expected",
]

VERSION = "v1"
"""Part of every Idempotency-Key: change it when data already loaded changes (what is added only needs new keys)."""

ENROLMENTS = {LIBRARIES_2017: LIBRARIES_2017_2018, LIBRARIES_2019: LIBRARIES_IN_2019}


def _total(amounts) -> str:
    return f"{sum(amounts, Decimal('0')):.2f}"


def expected() -> dict[str, dict]:
    """Per edition key, the summary figures this data produces (the seeds' figures among them).

    A revoked grant is no longer funded nor in the granted total (it is in the revoked ones), and its partnership
    counts as withdrawn; a settled grant is still funded, and its report adds to what was spent and returned.
    """
    figures: dict[str, dict] = {}
    for edition in EDITIONS:
        proposals = [p for p in PROPOSALS if p.edition == edition.key]
        memberships = [m for m in MEMBERSHIPS if m.edition == edition.key]
        institutions = {i for p in proposals for i in p.members} | set(ENROLMENTS.get(edition.key, ()))
        withdrawn = [p for p in proposals if p.outcome in ("withdrawn", "revoked")]
        funded = [p for p in proposals if p.outcome == "granted"]
        revoked = [p for p in proposals if p.outcome == "revoked"]
        settled = [(p.granted, SETTLEMENT_BY_PROPOSAL[p.key].final.spent) for p in funded if p.key in SETTLEMENT_BY_PROPOSAL]
        figures[edition.key] = {
            "partnerships": {
                "proposed": len(proposals),
                "mal_verified": sum(1 for p in proposals if p.mal and p.mal_verified),
                "funded": len(funded),
                "rejected": sum(1 for p in proposals if p.outcome == "rejected"),
                "withdrawn": len(withdrawn),
                "revoked": len(revoked),
                "settled": len(settled),
            },
            "funding": {
                "requested_total": _total(p.requested for p in proposals if p not in withdrawn),
                "granted_total": _total(p.granted for p in funded if p.granted),
                "revoked_total": _total(p.granted for p in revoked if p.granted),
                "spent_total": _total(spent for _, spent in settled),
                "returned_total": _total(granted - spent for granted, spent in settled if granted),
            },
            "institutions": {"count": len(institutions)},
            "volunteers": {
                "joined": len({m.volunteer for m in memberships}),
                "active": len({m.volunteer for m in memberships if m.left_on is None}),
            },
        }
    return figures
