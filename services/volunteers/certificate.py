"""A certificate of volunteering (zaświadczenie o wykonywaniu świadczeń wolontariusza, art. 44 of the act): what it
says, read from the read model. Making one opens the person's data, so it is recorded in the access log."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from infra.errors import Conflict, NotFound
from services.volunteers import access, hours_queries, keystore, queries


@dataclasses.dataclass(frozen=True)
class Certificate:
    """One membership's certificate: who, where, from when to when, and the approved hours of each month."""

    volunteer_id: str
    membership_id: str
    full_name: str = dataclasses.field(repr=False)
    birth_date: datetime.date | None = dataclasses.field(repr=False)
    institution: str
    edition: str
    partnership: bool
    joined_on: datetime.date
    left_on: datetime.date | None
    months: tuple[tuple[str, Decimal], ...]
    """("2021-10", 12.50), … : approved hours only, by month."""
    issued_on: datetime.date

    @property
    def total(self) -> Decimal:
        return sum((hours for _, hours in self.months), Decimal("0.00"))


def of(session: Session, volunteer_id: str, membership_id: str, today: datetime.date) -> Certificate:
    """The certificate of the volunteer's membership, as of `today` (NotFound, or Conflict once the person is erased)."""
    row = queries.volunteer_row(session, volunteer_id)
    if row is None:
        raise NotFound(f"Nie ma wolontariusza {volunteer_id}.")
    membership = queries.membership(session, membership_id)
    if membership is None or membership["volunteer_id"] != volunteer_id:
        raise NotFound(f"Ten wolontariusz nie ma członkostwa {membership_id}.", field="membership_id")
    person = queries.opened(row, keystore.cipher(session, volunteer_id))
    if person["first_name"] is None:
        raise Conflict("Dane osobowe tego wolontariusza usunięto (RODO): zaświadczenia, które by je zawierało, nie da "
                       "się już wystawić.", rule="volunteer_erased")
    access.record(session, [volunteer_id], access.CERTIFICATE)
    return Certificate(
        volunteer_id=volunteer_id,
        membership_id=membership_id,
        full_name=f"{person['first_name']} {person['last_name']}",
        birth_date=person["birth_date"],
        institution=membership["institution_name"] or f"instytucja {membership['institution_id']}",
        edition=membership["edition_name"] or f"edycja {membership['edition_id']}",
        partnership=membership["partnership_id"] is not None,
        joined_on=membership["joined_on"],
        left_on=membership["left_on"],
        months=tuple((m["month"], m["hours"]) for m in hours_queries.approved_by_month(session, membership_id)),
        issued_on=today,
    )
