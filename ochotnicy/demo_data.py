"""The demonstration data: a reconstruction of the programme's 2017–2022 editions, one module per concept
(`demo_editions`, `demo_institutions`, `demo_proposals`, `demo_settlements`, `demo_volunteers`, `demo_course`,
`demo_paperwork`, `demo_hours`), gathered here.

What the programme's own texts say, and what this reconstruction keeps exactly:

* 2021, institution partnerships: the spring round funded 24 partnerships, the autumn round 15;
  the autumn round required a Local Activity Centre (MAL) among the partners; a partnership of
  2–3 institutions could get up to 6,000 PLN, one of 4 or more up to 10,000 PLN. The autumn round
  was summed up in January 2022: its grants are settled, a few with money returned.
* The partnership programme went on in 2022: a spring round, in which one partnership withdrew after
  its grant (the funding service takes it back by itself).
* Library volunteering development: in 2017 and 2018, 24 public libraries and more than 300
  volunteers; in 2019, the 3rd edition, 45 library branches. Here the 1st and 2nd editions are 2017's and 2018's,
  each with fewer libraries and volunteers (some took part in both): the seeds' figure is their total, each counted
  once (the programme's summary over 2017–2018). Each edition has its trainings, a study visit, coordinators'
  meetings, trainers' monitoring visits, the programmes most libraries adopted, and a withdrawal or two. Its
  volunteers' monthly hours are recorded and mostly approved, and its memberships carry the paperwork the law asks
  for, a few of them not all of it (the volunteers' list of what is missing shows them).

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

from ochotnicy import demo_paperwork, demo_volunteers
from ochotnicy.demo_course import PROGRAMMES, TRAININGS, VISITS, WITHDRAWALS
from ochotnicy.demo_editions import (
    AUTUMN,
    EDITION_BY_KEY,
    EDITIONS,
    LIBRARIES_2017,
    LIBRARIES_2018,
    LIBRARIES_2019,
    LIBRARY_EDITIONS,
    REPLACED,
    SPRING,
    SPRING_2022,
)
from ochotnicy.demo_hours import HOURS
from ochotnicy.demo_institutions import ENROLMENTS, INSTITUTION_BY_KEY, INSTITUTIONS, LIBRARIES_2017_2018
from ochotnicy.demo_model import (
    Agreement,
    Edition,
    Hours,
    Institution,
    Membership,
    Programme,
    Proposal,
    Rectification,
    Report,
    Settlement,
    Training,
    Visit,
    Volunteer,
    Withdrawal,
)
from ochotnicy.demo_paperwork import AGREEMENTS, RECTIFICATIONS
from ochotnicy.demo_proposals import PROPOSALS
from ochotnicy.demo_settlements import SETTLEMENT_BY_PROPOSAL, SETTLEMENTS

__all__ = [
    "AGREEMENTS", "AUTUMN", "EDITIONS", "EDITION_BY_KEY", "ENROLMENTS", "HOURS", "INSTITUTIONS", "INSTITUTION_BY_KEY",
    "LIBRARIES_2017", "LIBRARIES_2017_2018", "LIBRARIES_2018", "LIBRARIES_2019", "LIBRARY_EDITIONS", "MEMBERSHIPS",
    "PROGRAMMES", "PROPOSALS", "RECTIFICATIONS", "REPLACED", "SETTLEMENTS", "SETTLEMENT_BY_PROPOSAL", "SPRING",
    "SPRING_2022", "TRAININGS", "VERSION", "VISITS", "VOLUNTEERS", "WITHDRAWALS", "Agreement", "Edition", "Hours",
    "Institution", "Membership", "Programme", "Proposal", "Rectification", "Report", "Settlement", "Training", "Visit",
    "Volunteer", "Withdrawal", "expected", "expected_across",
]

VOLUNTEERS = (*demo_volunteers.VOLUNTEERS, *demo_paperwork.VOLUNTEERS)
MEMBERSHIPS = (*demo_volunteers.MEMBERSHIPS, *demo_paperwork.MEMBERSHIPS)

VERSION = "v2"
"""Part of every Idempotency-Key: change it when data already loaded changes (what is added only needs new keys).
v2: the library programme's 2017–2018 edition became two (I and II), with their course. (The hours, the paperwork
and the 3rd edition's newcomers came later under new keys: a data/ loaded before gets them on its next load.)"""


def _total(amounts) -> str:
    return f"{sum(amounts, Decimal('0')):.2f}"


def expected() -> dict[str, dict]:
    """Per edition key, the summary figures this data produces (the seeds' figures among them)."""
    return {edition.key: _figures({edition.key}) for edition in EDITIONS}


def expected_across(editions: set[str]) -> dict[str, dict]:
    """The figures of a programme's summary over these editions: every institution and volunteer counted once."""
    return _figures(editions)


def _figures(editions: set[str]) -> dict[str, dict]:
    """The summary figures of these editions together.

    A revoked grant is no longer funded nor in the granted total (it is in the revoked ones), and its partnership
    counts as withdrawn; a settled grant is still funded, and its report adds to what was spent and returned.
    A withdrawn library still counts for what it did before it withdrew.
    """
    proposals = [p for p in PROPOSALS if p.edition in editions]
    memberships = [m for m in MEMBERSHIPS if m.edition in editions]
    trainings = [t for t in TRAININGS if t.edition in editions]
    visits = [v for v in VISITS if v.edition in editions]
    institutions = {i for p in proposals for i in p.members} | {i for e in editions for i in ENROLMENTS.get(e, ())}
    withdrawn = [p for p in proposals if p.outcome in ("withdrawn", "revoked")]
    funded = [p for p in proposals if p.outcome == "granted"]
    revoked = [p for p in proposals if p.outcome == "revoked"]
    settled = [(p.granted, SETTLEMENT_BY_PROPOSAL[p.key].final.spent) for p in funded if p.key in SETTLEMENT_BY_PROPOSAL]
    return {
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
            "hours_approved": _total(h.hours for h in HOURS if h.decision == "approved" and h.membership.edition in editions),
        },
        "training": {
            "sessions": len(trainings),
            "hours": _total(t.hours for t in trainings),
            "institutions_trained": len({i for t in trainings for i in t.institutions}),
            "monitoring_visits": len(visits),
            "institutions_visited": len({v.institution for v in visits}),
            "programmes_adopted": len({p.institution for p in PROGRAMMES if p.edition in editions}),
        },
    }
