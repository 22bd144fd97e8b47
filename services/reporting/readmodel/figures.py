"""The summary's figures, each defined once: the partnership and funding figures (FIGURES: which partnerships each
counts at a moment, what it sums, and which of their events it traces to) and the figures of the other facts (MEASURES:
trainings, monitoring visits, adopted programmes, approved hours).

The summary's query, the sources of every figure and the page's lists read these definitions, so a
figure, its trace and the rows behind it never disagree.

Revocation is treated as withdrawal is: a withdrawn partnership still counts as proposed but no longer
in the requested total; a revoked grant still counts as revoked (with its amount) but no longer as
funded, nor in the granted total. So `granted_total + revoked_total` is everything ever granted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import StrEnum

from sqlalchemy import ColumnElement, Table, and_
from sqlalchemy.sql.expression import ColumnCollection

from services.reporting.readmodel import STATED_BY, Stage, approved_hours, enrolments, monitoring_visits, training_attendance, trainings
from services.reporting.readmodel.timeline import When, known, not_yet

Condition = Callable[[ColumnCollection, When], ColumnElement[bool]]
"""Whether a partnership (the columns of its row) counts at a moment."""


def proposed(p: ColumnCollection, as_of: When) -> ColumnElement[bool]:
    return known(p.proposed_at, as_of)


def requesting(p: ColumnCollection, as_of: When) -> ColumnElement[bool]:
    """Proposed and not withdrawn: its request still stands."""
    return and_(known(p.proposed_at, as_of), not_yet(p.withdrawn_at, as_of))


def in_force(p: ColumnCollection, as_of: When) -> ColumnElement[bool]:
    """Granted and not revoked."""
    return and_(known(p.granted_at, as_of), not_yet(p.revoked_at, as_of))


def open_grant(p: ColumnCollection, as_of: When) -> ColumnElement[bool]:
    """A grant in force not settled yet."""
    return and_(in_force(p, as_of), not_yet(p.settled_at, as_of))


def stated(stage: Stage) -> Condition:
    """The partnership's `stage` had happened."""
    return lambda p, as_of: known(p[f"{stage}_at"], as_of)


@dataclasses.dataclass(frozen=True)
class Figure:
    counts: Condition
    stage: Stage  # the event of each counted partnership that the figure traces to
    amount: str | None  # the column (grosze) a total sums, or a count shows beside each partnership
    total: bool  # a sum of `amount` (money), or a count of partnerships
    explanation: str  # for a person (Polish)

    @property
    def event_type(self) -> str:
        return STATED_BY[self.stage]


FIGURES: dict[str, Figure] = {
    "partnerships.proposed": Figure(
        proposed, Stage.PROPOSED, None, False, "Liczba partnerstw zgłoszonych w edycji (także wycofanych)."),
    "partnerships.mal_verified": Figure(
        stated(Stage.MAL_VERIFIED), Stage.MAL_VERIFIED, None, False, "Liczba partnerstw z pozytywną weryfikacją MAL."),
    "partnerships.funded": Figure(
        in_force, Stage.GRANTED, "granted_gr", False,
        "Liczba partnerstw z dofinansowaniem w mocy: przyznanym i niecofniętym (cofnięte liczy pole partnerships.revoked)."),
    "partnerships.rejected": Figure(
        stated(Stage.REJECTED), Stage.REJECTED, None, False, "Liczba partnerstw, którym odmówiono dofinansowania."),
    "partnerships.withdrawn": Figure(
        stated(Stage.WITHDRAWN), Stage.WITHDRAWN, None, False, "Liczba partnerstw wycofanych przez wnioskodawców."),
    "partnerships.revoked": Figure(
        stated(Stage.REVOKED), Stage.REVOKED, "revoked_gr", False,
        "Liczba partnerstw, którym cofnięto przyznane dofinansowanie (po wycofaniu się partnerstwa albo decyzją urzędu)."),
    "partnerships.settled": Figure(
        stated(Stage.SETTLED), Stage.SETTLED, "spent_gr", False,
        "Liczba partnerstw rozliczonych: z przyjętym sprawozdaniem końcowym."),
    "funding.requested_total": Figure(
        requesting, Stage.PROPOSED, "requested_gr", True, "Suma kwot, o które wnioskują partnerstwa zgłoszone i niewycofane."),
    "funding.granted_total": Figure(
        in_force, Stage.GRANTED, "granted_gr", True,
        "Suma dofinansowań w mocy: przyznanych i niecofniętych (cofnięte sumuje pole funding.revoked_total)."),
    "funding.revoked_total": Figure(
        stated(Stage.REVOKED), Stage.REVOKED, "revoked_gr", True,
        "Suma cofniętych dofinansowań; razem z kwotą przyznaną w mocy daje wszystko, co kiedykolwiek przyznano."),
    "funding.spent_total": Figure(
        stated(Stage.SETTLED), Stage.SETTLED, "spent_gr", True, "Suma kwot wydanych według przyjętych sprawozdań końcowych."),
    "funding.returned_total": Figure(
        stated(Stage.SETTLED), Stage.SETTLED, "returned_gr", True,
        "Suma kwot niewydanych, do zwrotu według przyjętych sprawozdań końcowych (przyznano minus wydano)."),
}
"""Every partnership and funding figure of the summary, in the summary's order."""


class Aggregate(StrEnum):
    """How a figure of an edition's other facts follows from its rows."""

    ROWS = "rows"  # how many rows (each a thing that happened once: a training, a visit)
    SUM = "sum"  # the sum of a column of hundredths (hours)
    DISTINCT = "distinct"  # how many different values of a column (institutions, counted once however often they appear)


@dataclasses.dataclass(frozen=True)
class Measure:
    """A figure counted over the rows of one fact table of the editions, each row stated by one event of `stage`."""

    table: Table
    stage: Stage
    event_type: str
    aggregate: Aggregate
    column: str | None  # what SUM adds up or DISTINCT tells apart
    shown: tuple[str, ...]  # the columns each source says it contributes
    explanation: str  # for a person (Polish)

    def counts(self, as_of: When) -> ColumnElement[bool]:
        """The row had been stated by `as_of`."""
        return known(self.table.c[f"{self.stage}_at"], as_of)

    @property
    def operand(self):
        """The column SUM adds up or DISTINCT tells apart."""
        assert self.column is not None, "a count of rows has no column"
        return self.table.c[self.column]


MEASURES: dict[str, Measure] = {
    "training.sessions": Measure(
        trainings, Stage.HELD, "TrainingHeld", Aggregate.ROWS, None, ("training_id", "kind", "title", "held_on"),
        "Liczba szkoleń, wizyt studyjnych i spotkań przeprowadzonych w edycji."),
    "training.hours": Measure(
        trainings, Stage.HELD, "TrainingHeld", Aggregate.SUM, "hours_ch", ("training_id", "title", "held_on"),
        "Suma godzin szkoleń, wizyt studyjnych i spotkań edycji (każde liczone raz, niezależnie od liczby uczestników)."),
    "training.institutions_trained": Measure(
        training_attendance, Stage.HELD, "TrainingHeld", Aggregate.DISTINCT, "institution_id", ("training_id", "institution_id"),
        "Liczba różnych instytucji, które wzięły udział w co najmniej jednym szkoleniu, wizycie studyjnej lub spotkaniu "
        "(także te, które później wycofały się z edycji)."),
    "training.monitoring_visits": Measure(
        monitoring_visits, Stage.VISITED, "MonitoringVisitMade", Aggregate.ROWS, None,
        ("visit_id", "institution_id", "visited_on", "stage"), "Liczba wizyt monitorujących trenerów w instytucjach edycji."),
    "training.institutions_visited": Measure(
        monitoring_visits, Stage.VISITED, "MonitoringVisitMade", Aggregate.DISTINCT, "institution_id",
        ("visit_id", "institution_id", "visited_on", "stage"),
        "Liczba różnych instytucji odwiedzonych co najmniej raz przez trenera (także te, które później wycofały się z edycji)."),
    "training.programmes_adopted": Measure(
        enrolments, Stage.ADOPTED, "VolunteeringProgrammeAdopted", Aggregate.DISTINCT, "institution_id",
        ("institution_id", "adopted_on"),
        "Liczba różnych instytucji, które przyjęły swój program wolontariatu (także te, które później wycofały się z edycji)."),
    "volunteers.hours_approved": Measure(
        approved_hours, Stage.APPROVED, "VolunteerHoursApproved", Aggregate.SUM, "hours_ch", ("entry_id", "volunteer_id", "month"),
        "Suma godzin wolontariatu zatwierdzonych w edycji (wpisy odrzucone i oczekujące się nie liczą)."),
}
"""The summary's figures of what an edition's institutions and volunteers did, beside the partnerships' FIGURES.

A withdrawn enrolment still counts for what its institution did before it withdrew (as a withdrawn partnership still
counts as proposed): it attended, was visited, adopted its programme. Across editions (a programme's totals) a DISTINCT
figure counts an institution once however many editions it took part in; trainings, visits and hours each belong to
one edition, so their totals are sums."""
