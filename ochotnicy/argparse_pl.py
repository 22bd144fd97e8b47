"""argparse's own words (usage, errors, the -h line) in Polish, like the rest of the command line."""

from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "użycie: ",
    "positional arguments": "argumenty",
    "options": "opcje",
    "subcommands": "polecenia",
    "show this help message and exit": "pokazuje tę pomoc i kończy",
    "unrecognized arguments: %s": "nieznane argumenty: %s",
    "the following arguments are required: %s": "brakuje wymaganych argumentów: %s",
    "one of the arguments %s is required": "wymagany jest jeden z argumentów: %s",
    "not allowed with argument %s": "nie wolno łączyć z argumentem %s",
    "ignored explicit argument %r": "pominięto jawny argument %r",
    "expected one argument": "oczekiwano jednej wartości",
    "expected at most one argument": "oczekiwano najwyżej jednej wartości",
    "expected at least one argument": "oczekiwano co najmniej jednej wartości",
    "expected %s argument": "oczekiwano %s wartości",
    "expected %s arguments": "oczekiwano %s wartości",
    "ambiguous option: %(option)s could match %(matches)s": "niejednoznaczna opcja: %(option)s pasuje do %(matches)s",
    "unexpected option string: %s": "nieoczekiwana opcja: %s",
    "invalid %(type)s value: %(value)r": "niepoprawna wartość (%(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "niepoprawny wybór: %(value)r (do wyboru: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: błąd: %(message)s\n",
}


def _polish(message: str) -> str:
    return WORDS.get(message, message)


def _polish_plural(singular: str, plural: str, n: int) -> str:
    return _polish(singular if n == 1 else plural)


def install() -> None:
    """Makes argparse speak Polish in this process.

    argparse looks its messages up through the module's own `_` at the moment it uses them, and the
    standard library ships no Polish catalogue, so the lookup itself is replaced (before any parser is built:
    group titles are translated when a parser is created).
    """
    argparse._ = _polish  # type: ignore[attr-defined]
    argparse.ngettext = _polish_plural  # type: ignore[attr-defined]
