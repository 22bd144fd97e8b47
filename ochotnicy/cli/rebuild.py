"""`ochotnicy rebuild SERVICE`: a read model built again from the log, in bulk, put in place in one step."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from infra import config


def rebuild(service: str, into: str | None = None, environ=None, out=None, workers: int | None = None) -> int:
    """Folds the service's log into a scratch, then swaps it in (or copies it into `into`); 0 when done."""
    from kafka.errors import KafkaError
    from tqdm import tqdm

    from infra import db, spec
    from infra.db import migrate
    from infra.rebuild import fresh, run, swap
    from infra.recovery import rewind

    out = out or sys.stdout
    settings, model = config.load(service, environ).check_database(), spec.load(service)
    live = db.make_engine(settings.database_url)
    try:
        migrate.require_current(live, model.migrations)
        if into is not None and model.own is not None:
            print(f"{service}: model odczytu tej usługi leży w jej bazie obok magazynu zdarzeń; "
                  "odbuduj go na miejscu (bez --into)", file=out)
            return 2
        with tempfile.TemporaryDirectory(prefix=f"ochotnicy-rebuild-{service}-") as directory:
            total = run.size(model, settings, live)
            with tqdm(total=total, desc=f"{service:<12}", unit=" zdarzeń", file=out, disable=None, dynamic_ncols=True) as bar:
                if into is not None:
                    target = db.make_engine(into)
                    try:
                        built = fresh.build(model, settings, target, workers, bar.update)
                    finally:
                        target.dispose()
                else:
                    built = swap.stage(model, settings, live, Path(directory), workers, bar.update)
            _print_built(built, out)
            if into is not None:
                print(f"{service}: nowy model odczytu jest w podanej bazie. Zatrzymaj workery usługi, wskaż jej tę bazę "
                      f"i uruchom: ochotnicy recover {service} (konsumenci ruszą od miejsca, w którym skończyła odbudowa)",
                      file=out)
                return 0
            caught_up, moved = swap.swap(built, model, settings, live)
            if built.scratch is not None:
                built.scratch.dispose()
        print(f"{service}: odbudowany model odczytu zastąpił bieżący w jednej transakcji; "
              f"zdarzeń dopisanych w trakcie: {caught_up}", file=out)
        for r in moved:
            print(f"  {r.group} {r.topic}:{r.partition} → {r.offset}", file=out)
        return 0
    except ValueError as exc:  # fresh.build: a database that already holds a read model
        print(f"{service}: NIE ODBUDOWANO: baza docelowa nie jest pusta ({exc})", file=out)
        return 2
    except rewind.GroupActive as exc:
        print(f"{service}: NIE ZAMIENIONO (bieżący model bez zmian): {exc}", file=out)
        return 1
    except KafkaError as exc:
        print(f"{service}: broker niedostępny ({exc}); nic nie zmieniono", file=out)
        return 1
    finally:
        live.dispose()


def _print_built(built, out) -> None:
    from infra.polish import grouped

    seconds = f"{built.seconds:.1f}".replace(".", ",")
    print(f"{built.service}: odczytano {grouped(built.read)} zapisów w {seconds} s ({grouped(round(built.rate))} zdarzeń/s); "
          f"zastosowano {grouped(built.applied)}, powtórzeń pominięto {grouped(built.duplicates)}", file=out)
    for note in built.notes:
        print(f"  uwaga: {note}", file=out)
    if built.parked:
        print(f"  uwaga: nieczytelnych wiadomości pominięto {built.parked} (jak konsument: leżą w kolejce "
              "martwych listów, ponownie wysyła je ochotnicy dlq)", file=out)


def _rebuild(args: argparse.Namespace) -> int:
    return rebuild(args.service, args.into, workers=args.workers)


def register(commands: argparse._SubParsersAction) -> None:
    """rebuild SERVICE [--into URL]."""
    command = commands.add_parser(
        "rebuild", help="odbudowuje model odczytu usługi z dziennika (hurtem) i zamienia go z bieżącym w jednej transakcji")
    command.add_argument("service", choices=list(config.SERVICES), help="usługa")
    command.add_argument("--into", metavar="ADRES",
                         help="zamiast zamiany: do tej nowej, pustej bazy (tylko reporting, którego model jest całą bazą)")
    command.add_argument("--workers", type=int, default=None, metavar="N",
                         help="procesy czytające partycje równolegle, gdzie model na to pozwala (domyślnie dwa na rdzeń, "
                              "najwyżej 8)")
    command.set_defaults(run=_rebuild)
