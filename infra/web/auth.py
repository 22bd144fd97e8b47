"""Bearer-token authentication (JWT) and role checks."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import time
from collections.abc import Iterable

import jwt
from flask import g, request

from infra.config import Settings
from infra.web.http import abort

ROLES = ("applications:write", "funding:write", "volunteers:write", "reporting:read", "audit")
COOKIE = "ochotnicy_token"


@dataclasses.dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles


class InvalidToken(Exception):
    """The token is missing, expired, or not ours; the text says why, in Polish."""


# Most specific first: InvalidSignatureError is a DecodeError, ExpiredSignatureError an InvalidTokenError.
_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "token wygasł"),
    (jwt.ImmatureSignatureError, "token nie jest jeszcze ważny"),
    (jwt.InvalidAudienceError, "token wydano dla innego odbiorcy"),
    (jwt.InvalidIssuerError, "token wydał inny wystawca"),
    (jwt.MissingRequiredClaimError, "brakuje w nim pola {claim}"),
    (jwt.InvalidSignatureError, "podpis się nie zgadza"),
    (jwt.InvalidAlgorithmError, "niedozwolony algorytm podpisu"),
    (jwt.DecodeError, "to nie jest poprawny token JWT"),
    (jwt.PyJWKClientError, "nie znaleziono klucza wystawcy"),
)


def _reason(exc: jwt.PyJWTError) -> str:
    for kind, reason in _REASONS:
        if isinstance(exc, kind):
            return reason.format(claim=getattr(exc, "claim", ""))
    return "token jest nieprawidłowy"


class Authenticator:
    """Verifies tokens: HS256 with a shared secret, or an OIDC issuer's keys (JWKS).

    A verified token is remembered until it expires, for at most `REMEMBER_S`: staff send the same token
    with every request, and checking the signature each time was about 6 % of the web process's time.
    """

    REMEMBER_S = 60.0
    REMEMBERED = 1024

    def __init__(self, settings: Settings, clock=time.time) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None
        self._clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}

    def verify(self, token: str) -> Principal:
        now = self._clock()
        remembered = self._verified.get(token)
        if remembered is not None and now < remembered[1]:
            return remembered[0]
        principal, expires = self._check(token)
        if len(self._verified) >= self.REMEMBERED:
            self._verified.clear()  # many distinct tokens at once: start again rather than track ages
        self._verified[token] = (principal, min(expires, now + self.REMEMBER_S))
        return principal

    def _check(self, token: str) -> tuple[Principal, float]:
        """The token's principal and expiry time, from its signature and claims."""
        options: jwt.types.Options = {"require": ["exp", "iat", "iss", "sub"]}
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=["RS256", "ES256"],
                    issuer=self._settings.jwt_issuer,
                    audience=self._settings.jwt_audience,
                    options=options,
                )
            elif self._settings.jwt_secret is not None:
                claims = jwt.decode(
                    token,
                    self._settings.jwt_secret,
                    algorithms=["HS256"],
                    issuer=self._settings.jwt_issuer,
                    audience=self._settings.jwt_audience,
                    options=options,
                )
            else:  # Settings.check() refuses to start without one or the other
                raise RuntimeError("no OCHOTNICY_JWT_SECRET or OCHOTNICY_JWKS_URL to check tokens with")
        except jwt.PyJWTError as exc:
            raise InvalidToken(_reason(exc)) from exc
        hours = self._settings.token_max_hours
        if float(claims["exp"]) - float(claims["iat"]) > hours * 3600:
            # A leaked token must not outlive a working day, however long its signer made it.
            raise InvalidToken(f"jego okres ważności przekracza dopuszczalne {hours:g} h")
        roles = claims.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("pole roles musi być listą tekstów")
        return Principal(subject=str(claims["sub"]), roles=frozenset(roles)), float(claims["exp"])


def issue(settings: Settings, subject: str, roles: Iterable[str], ttl: datetime.timedelta) -> str:
    """A token signed with the shared secret (the local stack, tests, service accounts)."""
    if not settings.jwt_secret:
        raise RuntimeError("no OCHOTNICY_JWT_SECRET to sign with; ask the identity provider for a token")
    if ttl > datetime.timedelta(hours=settings.token_max_hours):
        raise ValueError(f"a token may be valid for at most {settings.token_max_hours:g} hours (OCHOTNICY_TOKEN_MAX_HOURS)")
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": subject, "roles": sorted(set(roles)), "iss": settings.jwt_issuer, "iat": now, "exp": now + ttl}
    if settings.jwt_audience:
        claims["aud"] = settings.jwt_audience
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def bearer_token() -> str | None:
    """The token of the request's `Authorization: Bearer …` header (None without one, or with an empty one)."""
    header = request.headers.get("Authorization", "")
    return (header[7:].strip() or None) if header.lower().startswith("bearer ") else None


def principal() -> Principal:
    return g.principal


def requires(role: str):
    """View decorator: only callers whose token carries `role`."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not principal().has(role):
                abort(403, message=f"Ta operacja wymaga roli {role}.")
            return view(*args, **kwargs)

        wrapper._required_role = role
        return wrapper

    return decorate


def required_role(view, method: str) -> str | None:
    """The role `requires` asks of the view answering `method` (None: any valid token will do)."""
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    return getattr(handler, "_required_role", None)
