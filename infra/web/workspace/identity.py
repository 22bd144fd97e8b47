"""Who signs in to the workspace: the staff a local sign-in offers, the city's provider elsewhere, and the cookie that remembers them."""

from __future__ import annotations

import datetime
from typing import Any

import jwt
from authlib.integrations.flask_client import OAuth
from flask import Response, current_app, make_response, redirect, request

from infra.config import Settings
from infra.web.auth import COOKIE, InvalidToken, Principal

SESSION_HOURS = 10
"""A working day: the sign-in lasts this long."""
AUDIENCE = "ochotnicy-workspace"
"""Whom the workspace's session tokens are for: never accepted as an API bearer token, nor the other way round."""

DEMO_STAFF = (
    ("anna.kowalska", "Anna Kowalska", "referentka programu: wnioski, dofinansowanie, wolontariusze",
     ("applications:write", "funding:write", "volunteers:write", "reporting:read")),
    ("marek.nowak", "Marek Nowak", "koordynator wolontariatu", ("volunteers:write", "reporting:read")),
    ("ewa.wisniewska", "Ewa Wiśniewska", "analityczka: tylko odczyt", ("reporting:read",)),
    ("tomasz.lewandowski", "Tomasz Lewandowski", "audytor", ("audit", "reporting:read")),
)
"""Who the local sign-in offers (never outside local mode): login, name, what they do, roles."""


def city_provider() -> Any:
    """The app's client of the city's OpenID Connect provider (None when not configured)."""
    oauth: OAuth | None = current_app.extensions.get("ochotnicy.oauth")
    return oauth.create_client("city") if oauth is not None else None


def session_token(subject: str, roles: tuple[str, ...] | list[str]) -> str:
    """The workspace's sign-in, for its cookie: who and with which roles, signed with the services' shared key."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": subject, "roles": sorted(set(roles)), "aud": AUDIENCE, "iat": now,
              "exp": now + datetime.timedelta(hours=SESSION_HOURS)}
    return jwt.encode(claims, settings.secret_key or "", algorithm="HS256")


def signed_in(token: str | None) -> Principal:
    """Who the workspace cookie says is signed in (InvalidToken when nobody, or it has expired)."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    try:
        claims = jwt.decode(token or "", settings.secret_key or "", algorithms=["HS256"], audience=AUDIENCE,
                            options={"require": ["exp", "iat", "sub", "aud"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken("nie zalogowano") from exc
    if float(claims["exp"]) - float(claims["iat"]) > SESSION_HOURS * 3600:
        raise InvalidToken("nie zalogowano")  # no sign-in lasts longer, whoever holds the pages' key
    return Principal(subject=str(claims["sub"]), roles=frozenset(claims.get("roles", [])))


def signed_in_as(subject: str, roles: Any, target: str) -> Response:
    """On to `target`, carrying the cookie that signs `subject` in with `roles`."""
    response = make_response(redirect(target))
    response.set_cookie(COOKIE, session_token(subject, roles), max_age=SESSION_HOURS * 3600, httponly=True,
                        samesite="Lax", secure=request.is_secure, path="/")
    return response
