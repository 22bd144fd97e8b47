"""`ochotnicy audit replay|verify|history`: for auditors."""

from __future__ import annotations

import argparse
import sys
import uuid

from infra import config


def _audit_replay(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    services = args.service or audit.available(audit.ALL)
    outcomes = audit.replay_services(services, args.scratch)
    return 0 if all(o.ok for o in outcomes) else 1


def _audit_verify(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    return 0 if audit.verify_services(args.service or audit.available(audit.OWNERS)) else 1


def _uuid(text: str) -> str:
    """An aggregate id as the audit history takes it: a UUID, said in Polish when it is not one."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}” nie jest identyfikatorem (UUID), np. 3f2b8c1e-…") from None


def _audit_history(args: argparse.Namespace) -> int:
    from ochotnicy import audit

    actor = "audit"
    if args.personal:
        principal = _verified(args.token or config.load("cli").token, "volunteers:write")
        if principal is None:
            return 2
        actor = principal.subject
    entries = audit.history(args.aggregate_id, personal=args.personal, actor=actor)
    audit.print_history(entries, args.json)
    return 0 if entries else 1


def _verified(token: str | None, role: str):
    """The token's principal when it is valid and carries `role` (checked as the API checks it); else says why, None."""
    from infra.web.auth import Authenticator, InvalidToken

    if not token:
        print(f"Dane osobowe pokazuje się tylko z tokenem roli {role}: podaj --token (albo OCHOTNICY_TOKEN).",
              file=sys.stderr)
        return None
    try:
        principal = Authenticator(config.load("cli")).verify(token)
    except InvalidToken as exc:
        print(f"Token odrzucony ({exc}).", file=sys.stderr)
        return None
    if not principal.has(role):
        print(f"Dane osobowe pokazuje się tylko z tokenem roli {role}; ten jej nie ma.", file=sys.stderr)
        return None
    return principal


def register(commands: argparse._SubParsersAction) -> None:
    """audit replay, verify and history."""
    audit = commands.add_parser("audit", help="dla audytorów: odtworzenie, weryfikacja, historia").add_subparsers(
        dest="audit", required=True, metavar="POLECENIE"
    )
    replay = audit.add_parser("replay", help="odbudowuje każdy model odczytu z dziennika i porównuje go z bieżącym")
    replay.add_argument("--service", action="append", choices=list(config.SERVICES), help="tylko ta usługa (można powtórzyć)")
    replay.add_argument(
        "--scratch", metavar="WZÓR", help="wzór adresu bazy roboczej z {service} (domyślnie pliki SQLite w katalogu tymczasowym)"
    )
    replay.set_defaults(run=_audit_replay)
    verify = audit.add_parser("verify", help="sprawdza łańcuch skrótów każdej usługi i wskazuje pierwsze zerwane ogniwo")
    verify.add_argument(
        "--service", action="append", choices=["applications", "funding", "volunteers"], help="tylko ta usługa (można powtórzyć)"
    )
    verify.set_defaults(run=_audit_verify)
    story = audit.add_parser("history", help="pełna historia partnerstwa, sprawy o dotację lub wolontariusza")
    story.add_argument("aggregate_id", metavar="ID", type=_uuid, help="identyfikator (UUID) partnerstwa, sprawy lub wolontariusza")
    story.add_argument("--json", action="store_true", help="JSON zamiast tabeli")
    story.add_argument("--personal", action="store_true",
                       help="z danymi osobowymi (bez tego: [dane osobowe]); wymaga tokenu roli volunteers:write, "
                            "a rejestr dostępu zapisuje ich pokazanie")
    story.add_argument("--token", metavar="TOKEN", help="token (JWT) osoby, która czyta; domyślnie OCHOTNICY_TOKEN")
    story.set_defaults(run=_audit_history)
