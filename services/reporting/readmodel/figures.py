"""The summary's partnership and funding figures, each defined once: which partnerships it counts at a
moment, what it sums, and which of their events it traces to.

The summary's query, the sources of every figure and the page's lists read these definitions, so a
figure, its trace and the rows behind it never disagree.

Revocation is treated as withdrawal is: a withdrawn partnership still counts as proposed but no longer
in the requested total; a revoked grant still counts as revoked (with its amount) but no longer as
funded, nor in the granted total. So `granted_total + revoked_total` is everything ever granted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy import ColumnElement, and_
from sqlalchemy.sql.expression import ColumnCollection

from services.reporting.readmodel import STATED_BY, Stage
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
