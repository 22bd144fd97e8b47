"""`ochotnicy dlq list|show|redrive`: the messages consumers parked."""

from __future__ import annotations

import argparse
import sys

from contracts import topics


def _dlq_list(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    dlq.print_list(dlq.read(args.topic or dlq.DEAD_LETTER_TOPICS, args.consumer), args.json)
    return 0


def _dlq_show(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    found = [(p, s) for p, s in dlq.read([args.topic]) if p.position == args.position]
    if not found:
        print(f"Na {args.topic} nie ma wiadomości {args.position} (partycja:przesunięcie).", file=sys.stderr)
        return 1
    dlq.print_one(*found[0])
    return 0


def _dlq_redrive(args: argparse.Namespace) -> int:
    from ochotnicy import dlq

    if not args.position and not args.all:
        print("Podaj miejsca wiadomości (partycja:przesunięcie) albo --all.", file=sys.stderr)
        return 2
    try:
        outcomes = dlq.redrive(args.topic, args.position, args.consumer)
    except LookupError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    dlq.print_outcomes(outcomes)
    return 0 if all(o in (dlq.REDRIVEN, dlq.DUPLICATE, dlq.APPLIED) for _, o in outcomes) else 1


def register(commands: argparse._SubParsersAction) -> None:
    """dlq list, show and redrive."""
    dlq = commands.add_parser("dlq", help="dla operatorów: wiadomości odłożone przez konsumentów").add_subparsers(
        dest="dlq", required=True, metavar="POLECENIE"
    )
    dead_letter_topics = [topics.dead_letter(t) for t in topics.ALL]
    listing = dlq.add_parser("list", help="każda odłożona wiadomość: konsument, powód, stan")
    listing.add_argument("--topic", action="append", choices=dead_letter_topics, help="tylko ten temat (można powtórzyć)")
    listing.add_argument("--consumer", metavar="GRUPA", help="tylko wiadomości tej grupy konsumentów")
    listing.add_argument("--json", action="store_true", help="JSON zamiast tabeli")
    listing.set_defaults(run=_dlq_list)
    show = dlq.add_parser("show", help="jedna odłożona wiadomość w całości")
    show.add_argument("topic", choices=dead_letter_topics, metavar="TEMAT", help="temat odłożonych, np. ochotnicy.applications.dlq")
    show.add_argument("position", metavar="MIEJSCE", help="partycja:przesunięcie, jak w dlq list")
    show.set_defaults(run=_dlq_show)
    redrive = dlq.add_parser("redrive", help="ponawia odłożone wiadomości przez konsumenta, który je odłożył (bez publikowania)")
    redrive.add_argument("topic", choices=dead_letter_topics, metavar="TEMAT", help="temat odłożonych, np. ochotnicy.applications.dlq")
    redrive.add_argument("position", nargs="*", metavar="MIEJSCE", help="partycja:przesunięcie (można podać kilka)")
    redrive.add_argument("--all", action="store_true", help="każda czekająca wiadomość tego tematu")
    redrive.add_argument("--consumer", metavar="GRUPA", help="tylko wiadomości tej grupy konsumentów")
    redrive.set_defaults(run=_dlq_redrive)
