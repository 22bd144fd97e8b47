"""`ochotnicy audit …`: replay the log, verify the hash chains, tell an aggregate's story."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session
from tqdm import tqdm

from infra import config, context, db, spec
from infra.audit import replay
from infra.eventstore import chain
from infra.eventstore.sql import SqlEventStore
from infra.polish import count, grouped
from infra.terminal import shown

OWNERS = ("applications", "funding", "volunteers")
ALL = tuple(config.SERVICES)


def available(services) -> list[str]:
    """The services whose code is installed (each declares its read model in its spec)."""
    found = []
    for service in services:
        try:
            spec.load(service)
        except ImportError:
            continue
        found.append(service)
    return found


def replay_services(services, scratch_template: str | None = None, out=sys.stdout, environ=None, *, bulk: bool = True
                    ) -> list[replay.Outcome]:
    """Replays each service into a scratch database and prints what differs, in plain words: in bulk (infra.rebuild), or
    `bulk=False` batch by batch as the live consumer applies events."""
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="ochotnicy-audit-") as scratch_dir:
        for service in services:
            settings = config.load(service, environ)
            model = spec.load(service)
            live = db.make_engine(settings.database_url)
            url = (scratch_template or f"sqlite:///{Path(scratch_dir)}/{{service}}.sqlite3").format(service=service)
            scratch = db.make_engine(url)
            total = replay.count(model, live)
            with tqdm(total=total, desc=f"{service:<12}", unit=" zdarzeń", file=out, leave=True,
                      disable=None, dynamic_ncols=True) as bar:
                outcome = replay.replay(model, settings, live, scratch, progress=bar.update, bulk=bulk)
            live.dispose()
            scratch.dispose()
            outcomes.append(outcome)
            _print_outcome(outcome, out)
    return outcomes


def _events(n: int) -> str:
    return count(n, "zdarzenie", "zdarzenia", "zdarzeń")


def _print_outcome(outcome: replay.Outcome, out) -> None:
    seconds = f"{outcome.seconds:.1f}".replace(".", ",")
    print(f"{outcome.service}: odtworzono {_events(outcome.events)} w {seconds} s "
          f"({grouped(round(outcome.rate))} zdarzeń/s)", file=out)  # a unit: one form for every number
    for note in outcome.notes:
        print(f"  uwaga: {note}", file=out)
    if not outcome.differences:
        print("  bieżący model odczytu zgadza się z odtworzonym", file=out)
    for difference in outcome.differences:
        print(f"  RÓŻNICA: {difference.describe()}", file=out)
    for violation in outcome.violations:
        print(f"  NARUSZONA REGUŁA: {violation}", file=out)
    if outcome.checked is not None and not outcome.violations:
        decisions = count(outcome.checked, "decyzja", "decyzje", "decyzji")
        print(f"  ponownie sprawdzone decyzje o dofinansowaniu: {decisions}, każda zgodna z zasadami, które zastosowała",
              file=out)


def verify_services(services=OWNERS, out=sys.stdout, environ=None) -> bool:
    """Checks every service's hash chain; names the first broken link."""
    ok = True
    for service in services:
        engine = db.make_engine(config.load(service, environ).database_url)
        with engine.connect() as connection:
            report = chain.verify(connection)
        engine.dispose()
        if report.ok:
            pending = f"; najnowsze jeszcze niezapieczętowane: {_events(report.unsealed)}" if report.unsealed else ""
            lost = (f"; luki po odtworzeniu z kopii: {count(report.lost, 'ogniwo', 'ogniwa', 'ogniw')} "
                    "(zapisane przez ochotnicy recover)") if report.lost else ""
            print(f"{service}: łańcuch nienaruszony, {_events(report.sealed)}{pending}{lost}", file=out)
        else:
            ok = False
            print(f"{service}: ŁAŃCUCH PRZERWANY w ogniwie {report.broken_at} (zdarzenie {report.event_id}): "
                  f"{report.reason}; wcześniejsze ogniwa są w porządku (jest ich {report.sealed})", file=out)
    return ok


def history(aggregate_id: str, environ=None, *, personal: bool = False, actor: str = "audit") -> list[dict]:
    """Every event of one aggregate, whichever service owns it, with actor and time.

    Personal data is masked unless `personal` (the caller holds volunteers:write); then each service holding the
    aggregate's personal data records in its access log that `actor` saw it.
    """
    entries = []
    token = context.set_current(context.Context(actor, context.new_correlation_id()))
    try:
        for service in available(OWNERS):
            engine = db.make_engine(config.load(service, environ).database_url)
            model = spec.load(service)
            with Session(engine) as session:
                found = [_entry(service, session, model.describe, record, personal)
                         for record in SqlEventStore(session, service).load(aggregate_id)]
                if found and personal and model.disclosed is not None:
                    model.disclosed(session, aggregate_id)
                session.commit()
            engine.dispose()
            entries.extend(found)
    finally:
        context.reset(token)
    return entries


def _entry(service: str, session: Session, describe, record, personal: bool) -> dict:
    return {
        "service": service, "sequence": record.version, "time": record.occurred_at.isoformat(timespec="seconds"),
        "type": record.type, "actor": record.meta.get("actor"), "correlation_id": record.meta.get("correlation_id"),
        "data": describe(session, record, personal) if describe else record.data,
    }


def print_history(entries: list[dict], as_json: bool, out=sys.stdout) -> None:
    """The story as a table or JSON; whatever stored text it holds is printed with its control characters escaped."""
    if as_json:
        # JSON escapes C0 itself; DEL, C1 and format characters it leaves raw (its own newlines are the layout).
        print(shown(json.dumps(entries, ensure_ascii=False, indent=2, default=str), keep="\n"), file=out)
        return
    if not entries:
        print("Żadna usługa nie ma zdarzeń o tym identyfikatorze.", file=out)
        return
    # "wersja": the event's place in its own service's record of the id (a partnership is also a funding case).
    print(f"{'wersja':>6}  {'czas (UTC)':<26}  {'usługa':<12}  {'zdarzenie':<24}  {'kto':<20}  szczegóły", file=out)
    for e in entries:
        details = ", ".join(f"{shown(str(k))}={shown(str(v))}" for k, v in e["data"].items())
        print(f"{e['sequence']:>6}  {e['time']:<26}  {e['service']:<12}  {shown(e['type']):<24}  {shown(str(e['actor'])):<20}  "
              f"{details}", file=out)
