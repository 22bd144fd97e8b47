"""After a restore: everyone in the erasure ledger whose key the backup brought back is erased again.

`ochotnicy recover volunteers` runs it in its own transaction (ServiceSpec.recovered), after the events Kafka held
beyond the backup are written back; `ochotnicy volunteers reapply-erasures` does the same on its own.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from infra import context
from infra.config import Settings
from infra.polish import count
from infra.uow import SqlUnitOfWork
from services.volunteers import commands, retention
from services.volunteers.domain.events import REGISTRY
from services.volunteers.facts import SqlFacts
from services.volunteers.handlers import erase_volunteer
from services.volunteers.ledger import Ledger
from services.volunteers.projection import projector


def erase_again(session: Session, settings: Settings) -> list[str]:
    """Erases, in `session`'s transaction and through the erasure's own handler, each person whose key is back."""
    ledger = Ledger(settings.erasure_ledger)
    back = retention.with_key(session, ledger.ids())
    token = context.set_current(context.Context(retention.REAPPLIED, context.new_correlation_id()))
    try:
        for volunteer_id in back:
            # The log is folded by the next erasure or checkpoint: not inside this open transaction, which it would wait for.
            uow = SqlUnitOfWork.within(session, service="volunteers", registry=REGISTRY, projector=projector,
                                       facts=lambda s: SqlFacts(s, ledger, fold=False))
            erase_volunteer(commands.EraseVolunteer(volunteer_id), uow)
    finally:
        context.reset(token)
    people = count(len(back), "osoba", "osoby", "osób")
    return [f"Rejestr usunięć ({ledger.path}): usunięto ponownie dane osób, których klucz wrócił z kopii: {people}."] + [
        f"  {volunteer_id}" for volunteer_id in back]
