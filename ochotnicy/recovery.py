"""`ochotnicy restore-check SERVICE` and `ochotnicy recover SERVICE`: after a database is restored from a backup.

restore-check compares the restored store with what its topic holds and says what recover would do, changing
nothing. recover writes back the events the topic holds beyond the store (infra.recovery.recover) and sets the
service's consumer groups back to what the restored claims hold (infra.recovery.rewind). Run both with the service's
web and workers stopped (docs/operations.md, "Backup and restore").
"""

from __future__ import annotations

import collections
import sys
from collections.abc import Mapping

from kafka.errors import KafkaError

from contracts import topics
from infra import config, db, spec
from infra.db import migrate
from infra.polish import count
from infra.recovery import plan as planning
from infra.recovery import recover as recovering
from infra.recovery import rewind
from infra.recovery.plan import Plan

NOTHING, NEEDED, IMPOSSIBLE = 0, 1, 2
"""restore-check's exit codes: nothing to recover, `recover` has work to do, it cannot be done as things are."""


def _events(n: int) -> str:
    return count(n, "zdarzenie", "zdarzenia", "zdarzeń")


def check(service: str, environ: Mapping[str, str] | None = None, out=None) -> int:
    """Says what `recover` would do; writes nothing."""
    settings, model = config.load(service, environ).check_database(), spec.load(service)
    engine = db.make_engine(settings.database_url)
    try:
        migrate.require_current(engine, model.migrations)
        with engine.connect() as connection:
            found = planning.compare(settings, connection, model.registry) if service in topics.BY_SERVICE else None
            moved = rewind.rewind(settings, connection, model.consumed, dry_run=True)
            connection.commit()
    except KafkaError as exc:
        print(f"{service}: broker niedostępny ({exc}); nie da się porównać bazy z tematem", file=out)
        return IMPOSSIBLE
    finally:
        engine.dispose()
    if found is not None:
        _print_plan(found, out)
    _print_rewinds(moved, out, done=False)
    if found is not None and not found.possible:
        return IMPOSSIBLE
    needed = (found is not None and (found.imports or found.placements or found.unpublished)) or any(
        r.committed != r.offset for r in moved)
    print(f"  → uruchom: ochotnicy recover {service}" if needed else "  → nic do odtworzenia", file=out)
    return NEEDED if needed else NOTHING


def recover(service: str, environ: Mapping[str, str] | None = None, out=None) -> int:
    """Writes back what the topic holds beyond the store, then sets the consumers back; 0 when done."""
    settings, model = config.load(service, environ).check_database(), spec.load(service)
    engine = db.make_engine(settings.database_url)
    try:
        migrate.require_current(engine, model.migrations)
        outcome = recovering.recover(settings, engine, model.registry, model.own, model.recovered)
        if outcome.plan is not None:
            _print_plan(outcome.plan, out)
        _print_recovered(outcome, out)
        with engine.connect() as connection:
            moved = rewind.rewind(settings, connection, model.consumed)
            connection.commit()
        _print_rewinds(moved, out, done=True)
    except (recovering.NotRecoverable, rewind.GroupActive) as exc:
        print(f"{service}: NIE ODTWORZONO: {exc}", file=out or sys.stderr)
        return IMPOSSIBLE
    except KafkaError as exc:
        print(f"{service}: broker niedostępny ({exc}); nic nie zmieniono", file=out or sys.stderr)
        return IMPOSSIBLE
    finally:
        engine.dispose()
    print(f"{service}: gotowe; usługę można uruchomić", file=out)
    return 0


def _print_plan(found: Plan, out) -> None:
    print(f"{found.service}: łańcuch w bazie kończy się na ogniwie {found.store_head}, "
          f"temat {topics.BY_SERVICE[found.service]} ma jej zdarzenia do ogniwa {found.topic_head}", file=out)
    by_type = collections.Counter(p.envelope.type for p in found.imports)
    kinds = ", ".join(f"{t} {n}" for t, n in sorted(by_type.items()))
    print(f"  z tematu do bazy: {_events(len(found.imports))}{f' ({kinds})' if kinds else ''}", file=out)
    if found.placements:
        print(f"  z kopii, zapieczętowane na miejscach z tematu: {_events(len(found.placements))}", file=out)
    if found.unpublished:
        print(f"  wysłane, choć kopia ma je za czekające (nie zostaną wysłane drugi raz): {_events(len(found.unpublished))}",
              file=out)
    for hole in found.holes:
        print(f"  LUKA W WERSJACH: {hole} (zdarzenia prywatne zapisane po kopii: odtwórz je z archiwum WAL)", file=out)
    for line in found.unreadable:
        print(f"  uwaga: nieczytelna wiadomość {line}", file=out)
    for conflict in found.conflicts:
        print(f"  KONFLIKT: {conflict}", file=out)


def _print_recovered(outcome: recovering.Outcome, out) -> None:
    for first, last in outcome.gaps:
        links = f"ogniwo {first}" if first == last else f"ogniwa {first}–{last}"
        print(f"  {links}: nie ma ich ani w kopii, ani w temacie; zapisane jako luka, nie zostaną użyte ponownie", file=out)
    for line in outcome.mended:
        print(f"  {line}", file=out)


def _print_rewinds(moved: list[rewind.Rewound], out, *, done: bool) -> None:
    for group in sorted({r.group for r in moved}):
        mine = [r for r in moved if r.group == group]
        again = sum(r.committed - r.offset for r in mine if r.committed is not None and r.committed > r.offset)
        verb = "cofnięty" if done else "do cofnięcia"
        print(f"  konsument {group}: {verb} do tego, co baza ma za zastosowane "
              f"({count(again, 'wiadomość', 'wiadomości', 'wiadomości')} do przeczytania ponownie)", file=out)
