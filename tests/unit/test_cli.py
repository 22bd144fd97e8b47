"""The command line speaks Polish, its own help and argparse's words alike."""

import argparse
import re

import pytest

from ochotnicy import cli


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        cli.main([*argv, "--help"])
    assert stopped.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [(), ("token",), ("audit",), ("audit", "replay"), ("audit", "history"), ("bench",), ("demo",)])
def test_help_is_polish(capsys, argv):
    text = _help(capsys, *argv)
    assert text.startswith("użycie: ochotnicy")
    assert "pokazuje tę pomoc i kończy" in text
    for english in ("usage:", "positional arguments", "options:", "show this help", "runs ", "prints "):
        assert english not in text


def test_every_command_and_option_is_explained():
    parser = cli.parser()
    unexplained = [
        f"{name} {' '.join(action.option_strings) or action.dest}"
        for name, sub in _commands(parser)
        for action in sub._actions
        if action.help is None and not isinstance(action, argparse._SubParsersAction)  # its commands have help
    ]
    assert unexplained == []


def _commands(parser, prefix="ochotnicy"):
    yield prefix, parser
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in action.choices.items():
            yield from _commands(sub, f"{prefix} {name}")


def test_errors_are_polish(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["token", "--role", "nikt"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert re.search(r"ochotnicy token: błąd: argument --role: niepoprawny wybór: 'nikt' \(do wyboru: ", error)

    with pytest.raises(SystemExit):
        cli.main(["web"])
    assert "brakuje wymaganych argumentów: service" in capsys.readouterr().err


def test_the_audit_history_refuses_an_id_that_is_not_a_uuid_in_polish(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["audit", "history", "partnerstwo-12"])
    assert stopped.value.code == 2
    assert "„partnerstwo-12” nie jest identyfikatorem (UUID)" in capsys.readouterr().err


def test_output_cut_short_by_its_reader_ends_quietly(monkeypatch):
    def closed(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli.local, "_token", closed)
    monkeypatch.setattr(cli.os, "dup2", lambda *a: None)  # pytest's captured stdout is not a pipe to close
    assert cli.main(["token"]) == 0


def test_a_token_without_roles_says_on_stderr_that_it_only_reads(capsys):
    assert cli.main(["token"]) == 0
    printed = capsys.readouterr()
    assert printed.out.count(".") == 2 and "\n" == printed.out[-1]  # the token alone, for $(ochotnicy token)
    assert "token bez ról pozwala tylko czytać" in printed.err
    cli.main(["token", "--role", "audit"])
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("hours", ["87660", "12.5", "0"])
def test_a_token_is_never_minted_for_longer_than_the_services_accept(capsys, hours):
    assert cli.main(["token", "--role", "audit", "--hours", hours]) == 2
    printed = capsys.readouterr()
    assert printed.out == "" and "--hours musi być większe od 0 i nie większe niż 12" in printed.err
    assert cli.main(["token", "--role", "audit", "--hours", "12"]) == 0
