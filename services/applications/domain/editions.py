"""An edition of a programme, whose rules are data: caps, MAL requirement, budget, dates."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from contracts.applications import EditionClosed, EditionOpened, GrantCap
from contracts.rules import bracket_for
from contracts.vocabulary import EditionKind, InstitutionKind, Programme
from infra.errors import Conflict, RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words
from infra.polish import bracket_label, day

ENROLLING: dict[str, tuple[str, ...]] = {
    Programme.LIBRARIES: (InstitutionKind.LIBRARY,),
    Programme.CULTURE_HOUSES: (InstitutionKind.CULTURE_HOUSE,),
    Programme.CARE_HOMES: (InstitutionKind.CARE_HOME,),
}
"""The programmes whose editions single institutions enrol in, and the kinds of institution each is for.

The programme's own texts: library branches enrol in the library programme; culture houses and social-care
homes have programmes like it. Every other programme (partnerships) takes proposals of partnerships.
"""
KIND_WORDS: dict[str, str] = {
    InstitutionKind.LIBRARY: "biblioteki",
    InstitutionKind.CULTURE_HOUSE: "domy kultury",
    InstitutionKind.CARE_HOME: "domy pomocy społecznej",
}


def edition_kind_of(programme: str) -> EditionKind:
    """What an edition of `programme` takes: enrolments of single institutions, or partnership proposals."""
    return EditionKind.ENROLMENT if programme in ENROLLING else EditionKind.PARTNERSHIP


@dataclasses.dataclass(frozen=True)
class EditionRules:
    """What a partnership proposal is checked against."""

    kind: str
    mal_required: bool
    grant_caps: tuple[GrantCap, ...]
    budget: Decimal | None

    def cap_for(self, size: int) -> GrantCap | None:
        return bracket_for(self.grant_caps, size)


def check_caps(caps: tuple[GrantCap, ...]) -> None:
    """Brackets cover 2 institutions or more, never overlap, and only the last may be open-ended (gaps have no cap)."""
    ordered = sorted(caps, key=lambda c: c.min_institutions)
    for index, cap in enumerate(ordered):
        if cap.min_institutions < 2:
            raise RuleBroken("Partnerstwo to co najmniej 2 instytucje: przedział musi zaczynać się od 2.",
                             rule="grant_caps_min", field="grant_caps")
        if cap.max_institutions is not None and cap.max_institutions < cap.min_institutions:
            raise RuleBroken(f"Przedział {cap.min_institutions}–{cap.max_institutions} jest pusty.",
                             rule="grant_caps_range", field="grant_caps")
        if index + 1 < len(ordered):
            following = ordered[index + 1]
            if cap.max_institutions is None or cap.max_institutions >= following.min_institutions:
                raise RuleBroken(
                    f"Przedziały „{bracket_label(cap)}” i „{bracket_label(following)}” nakładają się.",
                    rule="grant_caps_overlap",
                    field="grant_caps",
                )


class Edition(Aggregate):
    """Opened with its rules; closed once, after which it accepts nothing new."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.opened: EditionOpened | None = None
        self.closed = False

    @classmethod
    def open(cls, opened: EditionOpened) -> Edition:
        opened = dataclasses.replace(opened, name=required_words(opened.name, field="name", message="Podaj nazwę edycji."))
        if opened.closes_on < opened.opens_on:
            raise RuleBroken("Data zamknięcia naboru nie może być wcześniejsza niż data otwarcia.",
                             rule="dates_order", field="closes_on")
        if opened.kind != edition_kind_of(opened.programme):
            raise RuleBroken(
                f"Program „{opened.programme}” prowadzi "
                + ("zgłoszenia pojedynczych instytucji: kind musi być „enrolment”."
                   if opened.programme in ENROLLING else "nabór wniosków partnerstw: kind musi być „partnership”."),
                rule="programme_kind", field="kind",
            )
        if opened.kind == EditionKind.PARTNERSHIP:
            if not opened.grant_caps:
                raise RuleBroken("Edycja partnerstw musi określać limity dofinansowania (grant_caps).",
                                 rule="grant_caps_required", field="grant_caps")
            check_caps(opened.grant_caps)
        else:
            if opened.grant_caps or opened.mal_required:
                raise RuleBroken(
                    "Edycja z naborem pojedynczych instytucji (enrolment) nie ma limitów dofinansowania ani wymogu MAL.",
                    rule="enrolment_without_partnership_rules",
                    field="grant_caps" if opened.grant_caps else "mal_required",
                )
        edition = cls(opened.edition_id)
        edition._record(opened)
        return edition

    def close(self) -> None:
        if self.closed:
            raise Conflict("Ta edycja jest już zamknięta.", rule="edition_closed")
        self._record(EditionClosed(edition_id=self.id))

    @property
    def rules(self) -> EditionRules:
        assert self.opened is not None
        return EditionRules(
            kind=self.opened.kind,
            mal_required=self.opened.mal_required,
            grant_caps=self.opened.grant_caps,
            budget=self.opened.budget,
        )

    @property
    def name(self) -> str:
        assert self.opened is not None
        return self.opened.name

    def require_enrolments(self, doing: str) -> None:
        """Refuses `doing` (what is asked, in Polish) in an edition that takes partnership proposals."""
        assert self.opened is not None
        if self.opened.kind != EditionKind.ENROLMENT:
            raise RuleBroken(f"Edycja „{self.name}” przyjmuje wnioski partnerstw: {doing} zapisuje się tylko w edycjach "
                             "ze zgłoszeniami pojedynczych instytucji.", rule="edition_kind", field="edition_id")

    def require_opened_by(self, on: datetime.date, field: str) -> None:
        """Refuses a day before the edition's opening: nothing of it happened before it opened."""
        assert self.opened is not None
        if on < self.opened.opens_on:
            raise RuleBroken(f"Data {day(on)} jest wcześniejsza niż otwarcie edycji „{self.name}” "
                             f"({day(self.opened.opens_on)}).", rule="before_opening", field=field)

    @property
    def enrolling(self) -> tuple[str, ...]:
        """The kinds of institution that may enrol in this edition (none: it takes partnership proposals)."""
        assert self.opened is not None
        return ENROLLING.get(self.opened.programme, ()) if self.opened.kind == EditionKind.ENROLMENT else ()

    def apply(self, event) -> None:
        if isinstance(event, EditionOpened):
            self.opened = event
        elif isinstance(event, EditionClosed):
            self.closed = True
        else:
            super().apply(event)
