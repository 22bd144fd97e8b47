"""`ochotnicy volunteers …`: erasing whom retention no longer allows, and erasing again after a restore."""

from __future__ import annotations

import datetime
import sys

from infra import config, db, spec
from infra.polish import count, day
from infra.runtime import Service
from services.volunteers import clock, restored, retention


def _service(environ=None) -> Service:
    return spec.load("volunteers").bootstrap(config.load("volunteers", environ), configure_logging=False)


def _people(n: int) -> str:
    return count(n, "osoba", "osoby", "osób")


def sweep(dry_run: bool, out=sys.stdout, environ=None, today: datetime.date | None = None) -> int:
    """Lists who is due for erasure (ids and the day their last membership ended, no names), then erases them."""
    service = _service(environ)
    years = service.runtime.settings.retention_years
    before = retention.cutoff(today or clock.today(), years)
    with service.read() as session:
        due = retention.due(session, before)
    print(f"Okres przechowywania: {count(years, 'rok', 'lata', 'lat')} od końca ostatniego członkostwa, a bez członkostwa od "
          f"rejestracji (do usunięcia: zakończone przed {day(before)}).", file=out)
    for person in due:
        when = (f"ostatnie członkostwo zakończone {day(person.ended_on)}" if person.joined
                else f"zarejestrowana {day(person.ended_on)}, bez członkostwa")
        print(f"  {person.volunteer_id}  {when}", file=out)
    if dry_run:
        print(f"Do usunięcia: {_people(len(due))}. Próba (--dry-run): niczego nie usunięto.", file=out)
    else:
        done = retention.erase(service.bus, [p.volunteer_id for p in due], retention.ACTOR)
        print(f"Usunięto dane osobowe: {_people(done)}.", file=out)
    service.runtime.engine.dispose()
    return 0


def reapply(out=sys.stdout, environ=None) -> int:
    """Erases again everyone in the erasure ledger whose key a restore brought back (as `ochotnicy recover` does)."""
    service = _service(environ)
    with service.runtime.sessions() as session:
        lines = restored.erase_again(session, service.runtime.settings)
        session.commit()
    db.fold_log(service.runtime.engine)  # after the commit: no older page of the WAL keeps the keys
    for line in lines:
        print(line, file=out)
    service.runtime.engine.dispose()
    return 0
