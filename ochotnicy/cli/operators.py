"""Commands for operators: migrate, topics, ops status, restore-check, recover, volunteers' erasure."""

from __future__ import annotations

import argparse

from infra import config


def _migrate(args: argparse.Namespace) -> int:
    from ochotnicy import audit, ops

    ops.migrate(args.service or audit.available(audit.ALL))
    return 0


def _topics(_args: argparse.Namespace) -> int:
    from ochotnicy import ops

    ops.create_topics()
    return 0


def _ops_status(args: argparse.Namespace) -> int:
    from ochotnicy import ops

    found = ops.status()
    ops.print_status(found, args.json)
    return 0 if ops.healthy(found) else 1


def _restore_check(args: argparse.Namespace) -> int:
    from ochotnicy import recovery

    return recovery.check(args.service)


def _recover(args: argparse.Namespace) -> int:
    from ochotnicy import recovery

    return recovery.recover(args.service)


def _volunteers_retention(args: argparse.Namespace) -> int:
    from ochotnicy import volunteers

    return volunteers.sweep(args.dry_run)


def _volunteers_reapply(_args: argparse.Namespace) -> int:
    from ochotnicy import volunteers

    return volunteers.reapply()


def register(commands: argparse._SubParsersAction) -> None:
    """migrate, topics, ops, restore-check, recover and volunteers."""
    migrate = commands.add_parser("migrate", help="doprowadza schemat bazy każdej usługi do najnowszego (krok przed startem)")
    migrate.add_argument("--service", action="append", choices=list(config.SERVICES), help="tylko ta usługa (można powtórzyć)")
    migrate.set_defaults(run=_migrate)
    commands.add_parser(
        "topics", help="tworzy w brokerze wszystkie tematy usług, z tematami odłożonych wiadomości (.dlq)"
    ).set_defaults(run=_topics)

    ops = commands.add_parser("ops", help="dla operatorów: stan systemu").add_subparsers(
        dest="ops", required=True, metavar="POLECENIE"
    )
    status = ops.add_parser("status", help="outbox i jego wiek, głowa łańcucha, opóźnienie konsumentów, odłożone wiadomości")
    status.add_argument("--json", action="store_true", help="JSON zamiast tekstu")
    status.set_defaults(run=_ops_status)

    check = commands.add_parser("restore-check", help="po odtworzeniu bazy z kopii: co ma jej temat w Kafce ponad nią "
                                "(nic nie zmienia)")
    check.add_argument("service", choices=list(config.SERVICES), help="usługa")
    check.set_defaults(run=_restore_check)
    recover = commands.add_parser("recover", help="po odtworzeniu bazy z kopii: dopisuje z Kafki zdarzenia nowsze od kopii "
                                  "i cofa konsumentów usługi (przy zatrzymanej usłudze)")
    recover.add_argument("service", choices=list(config.SERVICES), help="usługa")
    recover.set_defaults(run=_recover)

    people = commands.add_parser("volunteers", help="dla operatorów: usuwanie danych wolontariuszy (RODO)").add_subparsers(
        dest="volunteers", required=True, metavar="POLECENIE"
    )
    retention = people.add_parser("retention", help="usuwa dane osób, których ostatnie członkostwo skończyło się dawniej "
                                  "niż OCHOTNICY_RETENTION_YEARS lat temu (domyślnie 5); najpierw je wypisuje")
    retention.add_argument("--dry-run", action="store_true", help="tylko wypisuje, kogo by usunęło")
    retention.set_defaults(run=_volunteers_retention)
    people.add_parser("reapply-erasures", help="po odtworzeniu bazy z kopii: usuwa ponownie dane każdej osoby z rejestru "
                      "usunięć (OCHOTNICY_ERASURE_LEDGER), której klucz kopia przywróciła").set_defaults(run=_volunteers_reapply)
