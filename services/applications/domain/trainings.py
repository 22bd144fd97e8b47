"""A training, study visit or meeting held for institutions enrolled in an edition."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from contracts.applications import TrainingHeld
from infra.errors import Conflict, RuleBroken
from infra.eventstore.aggregate import Aggregate
from infra.freetext import required_words
from services.applications.domain.editions import Edition
from services.applications.domain.enrolments import Enrolment


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f"„{name}”" for name in names)


class Training(Aggregate):
    """Recorded once, with the institutions that attended; nothing changes it afterwards."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.held: TrainingHeld | None = None

    @classmethod
    def hold(
        cls,
        training_id: str,
        *,
        edition: Edition,
        kind: str,
        title: str,
        held_on: datetime.date,
        hours: Decimal,
        institution_ids: Sequence[str],
        enrolments: Mapping[str, Enrolment],
        names: Mapping[str, str],
    ) -> Training:
        """`enrolments` holds the edition's enrolments of the institutions among `institution_ids` that have one;
        `names` what staff call each institution (the register's names), for the messages."""
        edition.require_enrolments("szkolenie")
        ids = tuple(dict.fromkeys(institution_ids))
        if not ids:
            raise RuleBroken("Zaznacz co najmniej jedną instytucję, która wzięła udział.", rule="no_institutions",
                             field="institution_ids")
        absent = [names.get(i, i) for i in ids if i not in enrolments]
        if absent:
            raise RuleBroken(f"Nie są zgłoszone do edycji „{edition.name}”: {_listed(absent)}. W szkoleniach biorą "
                             "udział tylko instytucje zgłoszone do edycji.", rule="not_enrolled", field="institution_ids")
        withdrawn = [names.get(i, i) for i in ids if enrolments[i].withdrawn is not None]
        if withdrawn:
            raise Conflict(f"Wycofały się z edycji „{edition.name}”: {_listed(withdrawn)}. Wycofana instytucja nie "
                           "dostaje już szkoleń.", rule="withdrawn", field="institution_ids")
        edition.require_opened_by(held_on, "held_on")
        if hours <= 0:
            raise RuleBroken("Podaj, ile godzin trwało: więcej niż 0.", rule="hours_positive", field="hours")
        title = required_words(title, field="title", message="Podaj temat szkolenia, wizyty lub spotkania.")
        training = cls(training_id)
        training._record(TrainingHeld(training_id=training_id, edition_id=edition.id, kind=kind, title=title,
                                      held_on=held_on, hours=hours, institution_ids=ids))
        return training

    def apply(self, event) -> None:
        if isinstance(event, TrainingHeld):
            self.held = event
        else:
            super().apply(event)
