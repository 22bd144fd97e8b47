"""Everything the page and the exports show about one edition, gathered once (so they agree)."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
from typing import Any

from sqlalchemy.orm import Session

from contracts.vocabulary import EditionKind
from services.reporting import polish
from services.reporting.moments import in_warsaw
from services.reporting.readmodel import breakdowns, queries
from services.reporting.readmodel.grants import OPEN, GrantState, Tally, granted, tally
from services.reporting.readmodel.paths import Path, StepCount, paths_of, steps

HEADLINES: tuple[tuple[str, str], ...] = (
    ("partnerships.proposed", "Partnerstwa zgłoszone"),
    ("partnerships.mal_verified", "Partnerstwa ze zweryfikowanym MAL"),
    ("partnerships.funded", "Partnerstwa dofinansowane"),
    ("partnerships.rejected", "Partnerstwa z odmową dofinansowania"),
    ("partnerships.withdrawn", "Partnerstwa wycofane"),
    ("funding.requested_total", "Wnioskowana kwota (bez wycofanych)"),
    ("funding.granted_total", "Przyznane dofinansowanie (bez cofniętego)"),
    ("institutions.count", "Instytucje uczestniczące"),
    ("volunteers.joined", "Wolontariusze, którzy dołączyli"),
    ("volunteers.active", "Wolontariusze aktywni"),
    ("partnerships.settled", "Partnerstwa rozliczone"),
    ("funding.spent_total", "Wydatki rozliczone"),
    ("funding.returned_total", "Kwota do zwrotu"),
    ("partnerships.revoked", "Partnerstwa z cofniętym dofinansowaniem"),
    ("funding.revoked_total", "Cofnięte dofinansowanie"),
    ("volunteers.hours_approved", "Zatwierdzone godziny wolontariatu"),
    ("training.sessions", "Szkolenia, wizyty studyjne i spotkania"),
    ("training.hours", "Godziny szkoleń"),
    ("training.institutions_trained", "Instytucje przeszkolone"),
    ("training.monitoring_visits", "Wizyty monitorujące trenerów"),
    ("training.institutions_visited", "Instytucje odwiedzone przez trenera"),
    ("training.programmes_adopted", "Przyjęte programy wolontariatu"),
)
MAIN = ("partnerships.funded", "funding.granted_total", "institutions.count", "volunteers.active")
SETTLEMENT = ("partnerships.settled", "funding.spent_total", "funding.returned_total", "partnerships.revoked", "funding.revoked_total")
"""The figures the page shows in its settlement section rather than among the others."""
COURSE = tuple(field for field, _ in HEADLINES if field.startswith("training."))
"""The figures of an enrolment edition's course, shown in their own section beside each institution's path."""
MONEY_FIELDS = {"funding.requested_total", "funding.granted_total", "funding.spent_total", "funding.returned_total",
                "funding.revoked_total"}
HOURS_FIELDS = {"training.hours", "volunteers.hours_approved"}


def headline_value(summary: dict[str, Any], field: str) -> int | decimal.Decimal:
    group, name = field.split(".")
    value = summary[group][name]
    return decimal.Decimal(value) if field in MONEY_FIELDS | HOURS_FIELDS else value


@dataclasses.dataclass
class Report:
    edition: dict[str, Any]
    summary: dict[str, Any]
    as_of: datetime.datetime | None
    generated_at: datetime.datetime
    grants: list[dict[str, Any]]  # every grant by then, revoked ones too (grants.granted)
    by_size: list[dict[str, Any]]
    months: list[breakdowns.Month]
    paths: list[Path]  # each enrolled institution's path through the edition

    @property
    def moment(self) -> datetime.datetime:
        return self.as_of or self.generated_at

    @property
    def closed_at(self) -> datetime.datetime | None:
        """When the edition was closed, if it had been by the moment shown."""
        closed = self.edition.get("closed_at")
        return closed if closed is not None and (self.as_of is None or closed <= self.as_of) else None

    @property
    def opened_later(self) -> datetime.datetime | None:
        """When the edition was opened, if that was after the moment shown (its figures then are all zero)."""
        opened = self.edition.get("opened_at")
        return opened if opened is not None and self.as_of is not None and opened > self.as_of else None

    @property
    def title(self) -> str:
        return self.edition.get("name") or f"Edycja {self.edition['id']}"

    @property
    def partnership_edition(self) -> bool:
        return self.edition.get("kind") != EditionKind.ENROLMENT or self.summary["partnerships"]["proposed"] > 0

    @property
    def enrolment_edition(self) -> bool:
        """An edition institutions enrol in (its course and their paths are shown), or one that holds enrolments anyway."""
        return self.edition.get("kind") == EditionKind.ENROLMENT or bool(self.paths)

    def steps(self) -> list[StepCount]:
        return steps(self.paths)

    def course_headlines(self) -> list[dict[str, Any]]:
        found = {h["field"]: h for h in self.headlines()}
        return [found[f] for f in COURSE if f in found]

    @property
    def funded(self) -> list[dict[str, Any]]:
        """The grants in force (the summary's `funded`)."""
        return [g for g in self.grants if g["state"] is not GrantState.REVOKED]

    @property
    def revoked(self) -> list[dict[str, Any]]:
        return [g for g in self.grants if g["state"] is GrantState.REVOKED]

    def settlement(self) -> list[Tally]:
        """The grants by state: settled, awaiting acceptance, returned, without a report, revoked."""
        return tally(self.grants)

    def open_grants(self) -> int:
        """Grants in force not settled yet."""
        return sum(t.count for t in self.settlement() if t.state in OPEN)

    def settlement_headlines(self) -> list[dict[str, Any]]:
        found = {h["field"]: h for h in self.headlines()}
        return [found[f] for f in SETTLEMENT if f in found]

    def headlines(self) -> list[dict[str, Any]]:
        hidden = {"partnerships", "funding"} if not self.partnership_edition else set()
        hidden |= {"training"} if not self.enrolment_edition else set()
        fields = [h for h in HEADLINES if h[0].split(".")[0] not in hidden]
        return [{"field": f, "label": label, "value": headline_value(self.summary, f)} for f, label in fields]

    def main_headlines(self) -> list[dict[str, Any]]:
        """The few figures shown large, in this order."""
        fields = MAIN if self.partnership_edition else ("institutions.count", "volunteers.joined", "volunteers.active")
        found = {h["field"]: h for h in self.headlines()}
        return [found[f] for f in fields]

    def other_headlines(self) -> list[dict[str, Any]]:
        shown = {h["field"] for h in self.main_headlines()} | set(SETTLEMENT) | set(COURSE)
        return [h for h in self.headlines() if h["field"] not in shown]

    def by_kind(self) -> list[tuple[str, str, int]]:
        """(code, Polish label, count), largest first."""
        items = self.summary["institutions"]["by_kind"].items()
        return [(k, polish.kind(k), n) for k, n in sorted(items, key=lambda kv: (-kv[1], polish.kind(kv[0])))]

    def by_district(self) -> list[tuple[str, str, int]]:
        items = self.summary["institutions"]["by_district"].items()
        return [(d, polish.district(d), n) for d, n in sorted(items, key=lambda kv: (-kv[1], kv[0]))]

    def size_label(self, size: int | None) -> str:
        if size is None:
            return "Jeszcze nieznana"
        return f"{size} {polish.plural(size, 'instytucja', 'instytucje', 'instytucji')}"

    def funded_total_gr(self) -> int:
        return sum(r["granted_gr"] or 0 for r in self.funded)

    def funded_requested_gr(self) -> int:
        return sum(r["requested_gr"] or 0 for r in self.funded)

    def file_stem(self) -> str:
        day = in_warsaw(self.moment).date().isoformat()
        return f"podsumowanie-{self.edition['id'][:8]}-{day}"


def build(session: Session, edition: dict[str, Any], as_of: datetime.datetime | None, now: datetime.datetime | None = None) -> Report:
    now = now or datetime.datetime.now(datetime.timezone.utc)
    today = in_warsaw(as_of or now).date()
    return Report(
        edition=edition,
        summary=queries.summaries(session, [edition], as_of, now)[0],
        as_of=as_of,
        generated_at=now,
        grants=granted(session, edition["id"], as_of),
        by_size=breakdowns.funding_by_size(session, edition["id"], as_of),
        months=breakdowns.volunteers_by_month(session, edition["id"], as_of, today),
        paths=paths_of(session, edition["id"], as_of),
    )
