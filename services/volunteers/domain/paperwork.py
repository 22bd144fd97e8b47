"""The paperwork the law asks of a host institution for each membership, and what is missing of it (no I/O).

Ustawa o działalności pożytku publicznego i o wolontariacie, as the programme reads it:

* art. 44: an engagement longer than 30 days needs a written agreement (porozumienie);
* art. 46: for an engagement of up to 30 days the institution insures the volunteer against accidents (NNW);
  a longer one is covered by the state's accident insurance instead, so no NNW is asked for it;
* a volunteer under 18 on the day they join needs their guardian's consent.

How long an engagement is, is known only as it goes: until it ends, it has lasted from the day of joining to
today. So a membership is "short" (insurance asked for) for its first 30 days, and "long" (agreement asked
for) from its 31st day on; one that ended is judged by the days it lasted. Days are counted inclusively:
joined on 1 March, the 30th day is 30 March, and from 31 March it is longer than 30 days.
"""

from __future__ import annotations

import dataclasses
import datetime

from infra.errors import RuleBroken

SHORT_ENGAGEMENT_DAYS = 30
"""An engagement of up to this many days needs accident insurance; a longer one a written agreement."""
ADULT_AGE = 18

AGREEMENT_MISSING = "agreement_missing"
INSURANCE_MISSING = "insurance_missing"
GUARDIAN_CONSENT_MISSING = "guardian_consent_missing"

MISSING = {
    AGREEMENT_MISSING: "brak pisemnego porozumienia",
    INSURANCE_MISSING: "brak ubezpieczenia NNW",
    GUARDIAN_CONSENT_MISSING: "brak zgody opiekuna",
}
"""What may be missing, by code, as a list of volunteers filters by it."""


@dataclasses.dataclass(frozen=True)
class Paperwork:
    """What the institution holds for one membership."""

    agreement_signed_on: datetime.date | None = None
    accident_insurance: bool = False
    guardian_consent: bool = False

    @classmethod
    def of(cls, agreement_signed_on: datetime.date | None, accident_insurance: bool, guardian_consent: bool, *,
           today: datetime.date) -> Paperwork:
        """Paperwork as staff record it: an agreement cannot be signed on a day still to come."""
        if agreement_signed_on is not None and agreement_signed_on > today:
            raise RuleBroken(
                f"Data podpisania porozumienia ({agreement_signed_on.isoformat()}) nie może być późniejsza niż "
                f"dzisiejsza ({today.isoformat()}).",
                rule="agreement_in_future", field="agreement_signed_on",
            )
        return cls(agreement_signed_on, accident_insurance, guardian_consent)

    def changed(self, *, agreement_signed_on: datetime.date | None = None, accident_insurance: bool | None = None,
                guardian_consent: bool | None = None, today: datetime.date) -> Paperwork:
        """This paperwork with the items given (not None) replaced."""
        return Paperwork.of(
            self.agreement_signed_on if agreement_signed_on is None else agreement_signed_on,
            self.accident_insurance if accident_insurance is None else accident_insurance,
            self.guardian_consent if guardian_consent is None else guardian_consent,
            today=today,
        )


NONE = Paperwork()
"""Nothing recorded: how a membership starts unless its joining says otherwise."""


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age on `day` (born on 29 February: a year older from 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor(birth_date: datetime.date | None, on: datetime.date) -> bool:
    """Under 18 on the day `on`; without a birth date nobody is taken for a minor."""
    return birth_date is not None and age_on(birth_date, on) < ADULT_AGE


def require_consent(minor: bool, paperwork: Paperwork) -> None:
    """A minor joins only with the guardian's consent."""
    if minor and not paperwork.guardian_consent:
        raise RuleBroken(
            "Wolontariusz w dniu dołączenia nie ma ukończonych 18 lat: potrzebna jest zgoda opiekuna prawnego. "
            "Zaznacz ją, jeśli instytucja ją otrzymała.",
            rule="guardian_consent_required", field="guardian_consent",
        )


def long_from(joined_on: datetime.date) -> datetime.date:
    """The first day on which an engagement that began on `joined_on` has lasted longer than 30 days."""
    return joined_on + datetime.timedelta(days=SHORT_ENGAGEMENT_DAYS)


@dataclasses.dataclass(frozen=True)
class Missing:
    code: str
    message: str


def compliance(paperwork: Paperwork, *, minor: bool, joined_on: datetime.date, left_on: datetime.date | None,
               today: datetime.date) -> tuple[Missing, ...]:
    """What the law asks for this membership that the institution does not hold, as of `today`.

    (The volunteers' list filters by the same rules in SQL: `services.volunteers.compliance.lacking`.)
    """
    lasted_to = left_on if left_on is not None else today
    long = lasted_to >= long_from(joined_on)
    found = []
    if long and paperwork.agreement_signed_on is None:
        found.append(Missing(AGREEMENT_MISSING, (
            "Brak pisemnego porozumienia: wolontariat trwa dłużej niż 30 dni, a wtedy porozumienie zawiera się na "
            "piśmie (art. 44 ustawy o działalności pożytku publicznego i o wolontariacie). Wpisz datę jego podpisania.")))
    if not long and not paperwork.accident_insurance:
        found.append(Missing(INSURANCE_MISSING, (
            "Brak ubezpieczenia od następstw nieszczęśliwych wypadków (NNW): przy wolontariacie trwającym do 30 dni "
            "zapewnia je instytucja (art. 46 ustawy o działalności pożytku publicznego i o wolontariacie).")))
    if minor and not paperwork.guardian_consent:
        found.append(Missing(GUARDIAN_CONSENT_MISSING, (
            "Brak zgody opiekuna prawnego: w dniu dołączenia wolontariusz nie miał ukończonych 18 lat.")))
    return tuple(found)
