"""Verified tokens are remembered briefly, never past their expiry."""

from __future__ import annotations

import datetime

import jwt
import pytest

from infra import config
from infra.web import auth
from infra.web.auth import Authenticator, InvalidToken

SETTINGS = config.load("applications", {"OCHOTNICY_ENV": "local"})


class Clock:
    def __init__(self) -> None:
        self.now = datetime.datetime.now(datetime.timezone.utc).timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The tokens whose signature was checked, in order."""
    seen: list[str] = []
    decode = jwt.decode
    monkeypatch.setattr(auth.jwt, "decode", lambda token, *a, **k: (seen.append(token), decode(token, *a, **k))[1])
    return seen


def token(minutes: float, roles=("audit",)) -> str:
    return auth.issue(SETTINGS, "anna", roles, datetime.timedelta(minutes=minutes))


def test_a_token_sent_again_is_not_checked_again_within_a_minute(checks):
    clock = Clock()
    subject, bearer = Authenticator(SETTINGS, clock), token(30)
    first = subject.verify(bearer)
    clock.now += 59
    assert subject.verify(bearer) == first and first.has("audit")
    assert checks == [bearer]
    clock.now += 2
    subject.verify(bearer)
    assert checks == [bearer, bearer]  # a minute on: checked afresh


def test_a_token_is_remembered_no_longer_than_it_is_valid(checks):
    clock = Clock()
    subject, bearer = Authenticator(SETTINGS, clock), token(0.5)
    subject.verify(bearer)
    clock.now += 31
    subject.verify(bearer)  # PyJWT reads the real clock, for which the token is still valid
    assert checks == [bearer, bearer]  # past its expiry the cache did not answer: the token was checked again


def test_a_token_that_fails_is_never_remembered(checks):
    subject = Authenticator(SETTINGS, Clock())
    forged = token(30)[:-4] + "AAAA"
    for _ in range(2):
        with pytest.raises(InvalidToken, match="podpis się nie zgadza"):
            subject.verify(forged)
    assert checks == [forged, forged]
