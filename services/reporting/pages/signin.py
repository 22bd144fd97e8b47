"""Signing in to the pages: a pasted token becomes an HttpOnly cookie; signing out drops it.

The pages' blueprint serves these views as pages.login and pages.logout, open to all.
"""

from __future__ import annotations

import datetime

import jwt
from flask import current_app, make_response, redirect, render_template, request, url_for

from infra.web.auth import COOKIE, Authenticator, InvalidToken


def authenticator() -> Authenticator:
    return current_app.extensions["ochotnicy.authenticator"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //elsewhere or a full URL)."""
    # Browsers and Werkzeug drop tabs and line breaks, so "/\t/evil.example" would become "//evil.example".
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and all(c.isprintable() and not c.isspace() for c in target)):
        return target
    return url_for("pages.editions")


def login():
    """The sign-in form (GET) or a token pasted into it (POST; ?token= also works), then back to `next`."""
    values = request.form if request.method == "POST" else request.args
    token = (values.get("token") or "").strip()
    target = _safe_next(values.get("next"))
    if not token:
        return render_template("login.html", next=target, problem=None)
    try:
        authenticator().verify(token)
        expires = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except (InvalidToken, jwt.PyJWTError) as exc:
        return render_template("login.html", next=target, problem=f"Token odrzucony: {exc}"), 401
    response = make_response(redirect(target))
    max_age = max(0, int(expires - datetime.datetime.now(datetime.timezone.utc).timestamp())) if expires else None
    response.set_cookie(COOKIE, token, max_age=max_age, httponly=True, samesite="Lax", secure=request.is_secure, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


def logout():
    response = make_response(redirect(url_for("pages.login")))
    response.delete_cookie(COOKIE, path="/")
    return response
