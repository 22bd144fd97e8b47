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


def signed(**claims) -> str:
    """A token signed with the local secret, from an hour ago to an hour on unless `claims` say otherwise (None: left out)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    payload = {"sub": "anna", "roles": ["audit"], "iss": config.TOKEN_ISSUER, "iat": now - datetime.timedelta(hours=1),
               "exp": now + datetime.timedelta(hours=1)} | claims
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, config.LOCAL_JWT_SECRET, algorithm="HS256")


TEN_YEARS = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3653)


@pytest.mark.parametrize("claims, reason", [
    ({"iss": "https://ktos-inny.example"}, "token wydał inny wystawca"),
    ({"iss": None}, "brakuje w nim pola iss"),
    ({"exp": TEN_YEARS}, "jego okres ważności przekracza dopuszczalne 12 h"),
    ({"iat": None}, "brakuje w nim pola iat"),
    ({"iat": None, "exp": None}, "brakuje w nim pola exp"),
], ids=["another-issuer", "no-issuer", "ten-years", "no-iat", "no-iat-no-exp"])
def test_a_token_from_another_issuer_or_valid_too_long_is_refused_though_signed_with_our_secret(claims, reason):
    with pytest.raises(InvalidToken, match=f"^{reason}$"):
        Authenticator(SETTINGS).verify(signed(**claims))


def test_a_token_valid_for_the_whole_maximum_passes_and_the_maximum_is_a_setting():
    now = datetime.datetime.now(datetime.timezone.utc)
    twelve_hours = signed(iat=now, exp=now + datetime.timedelta(hours=12))
    assert Authenticator(SETTINGS).verify(twelve_hours).subject == "anna"
    shorter = config.load("applications", {"OCHOTNICY_ENV": "local", "OCHOTNICY_TOKEN_MAX_HOURS": "8"})
    with pytest.raises(InvalidToken, match="dopuszczalne 8 h"):
        Authenticator(shorter).verify(twelve_hours)


def test_tokens_minted_here_name_our_issuer_and_none_is_minted_for_longer_than_the_maximum():
    claims = jwt.decode(token(30), options={"verify_signature": False})
    assert claims["iss"] == config.TOKEN_ISSUER and claims["exp"] - claims["iat"] == 1800
    with pytest.raises(ValueError, match="at most 12 hours"):
        auth.issue(SETTINGS, "anna", ["audit"], datetime.timedelta(hours=12, seconds=1))
