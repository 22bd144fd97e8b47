"""The staff workspace: pages every service serves in one layout, behind one sign-in, with CSRF-protected forms.

A service's pages are a `Pages` blueprint. The API's bearer-token check lets them through; they check the
workspace cookie themselves, send a person without one to the sign-in page, and refuse a form posted without
its CSRF token. Locally the sign-in page picks a demo staff member; the cookie then serves all four services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Blueprint, Flask, Response, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response as ResponseBase

from infra import context, polish
from infra.config import Settings
from infra.web import auth
from infra.web.auth import COOKIE, InvalidToken, Principal
from infra.web.workspace.identity import (  # noqa: F401 - AUDIENCE, SESSION_HOURS, session_token: importable from here too
    AUDIENCE,
    DEMO_STAFF,
    SESSION_HOURS,
    city_provider,
    session_token,
    signed_in,
    signed_in_as,
)

NAV = (
    ("applications", "/", "Wnioski i instytucje"),
    ("funding", "/", "Dofinansowanie"),
    ("volunteers", "/", "Wolontariusze"),
    ("reporting", "/editions", "Podsumowania"),
)
"""The services' start pages, in the order a round runs."""


class Pages(Blueprint):
    """Staff pages of one service: signed in by the workspace cookie, forms checked for their CSRF token."""

    open: tuple[str, ...] = ()

    def __init__(self, name: str, import_name: str, *, open_endpoints: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(name, import_name, **kwargs)
        self.open = tuple(f"{name}.{endpoint}" for endpoint in open_endpoints) + (f"{name}.static",)
        self.before_request(self._signed_in)
        self.after_request(_page_headers)

    def _signed_in(self) -> ResponseBase | None:
        if request.endpoint in self.open:
            return None
        bearer = auth.bearer_token()
        try:
            g.principal = _authenticator().verify(bearer) if bearer else signed_in(request.cookies.get(COOKIE))
        except InvalidToken:
            if request.method != "GET":
                return page_error(401, "Sesja wygasła", "Zaloguj się ponownie i wyślij formularz jeszcze raz.")
            return redirect(url_for("workspace.signin", next=request.full_path.rstrip("?")))
        context.reset(g.context_token)  # what the pages' commands record as their actor
        g.context_token = context.set_current(context.Context(g.principal.subject, g.correlation_id))
        if request.method == "POST" and bearer is None:
            _csrf().protect()  # a browser sends the cookie by itself; a bearer header it never does
        return None


def is_page(app: Flask) -> bool:
    """The request is for a staff page (which checks its own sign-in), not for the API."""
    return isinstance(app.blueprints.get(request.blueprint or ""), Pages)


def needs(role: str) -> Callable:
    """Page decorator: only staff whose roles include `role` (others get a 403 page saying which role)."""

    def decorate(view: Callable) -> Callable:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not auth.principal().has(role):
                return page_error(403, "Brak uprawnień", f"Ta czynność wymaga roli {role}. Poproś administratora o jej nadanie.")
            return view(*args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def can(role: str) -> bool:
    """Whether the signed-in person has `role` (templates show a write form only to those who may use it)."""
    principal: Principal | None = g.get("principal")
    return principal is not None and principal.has(role)


def page_error(status: int, title: str, message: str) -> Response:
    return make_response(render_template("workspace/error.html", title=title, message=message), status)


def _page_headers(response: Response) -> Response:
    if request.endpoint and not request.endpoint.endswith(".static"):
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _authenticator() -> auth.Authenticator:
    authenticator: auth.Authenticator = current_app.extensions["ochotnicy.authenticator"]
    return authenticator


def _csrf() -> CSRFProtect:
    csrf: CSRFProtect = current_app.extensions["csrf"]
    return csrf


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never //elsewhere or a full URL)."""
    # Browsers and Werkzeug drop tabs and line breaks, so "/\t/evil.example" would become "//evil.example".
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and all(c.isprintable() and not c.isspace() for c in target)):
        return target
    return "/"


workspace = Pages("workspace", __name__, open_endpoints=("signin", "signout", "signed_in_at_city"), template_folder="templates",
                  static_folder="static", static_url_path="/workspace-assets")


@workspace.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    """Local: pick a demo staff member. Elsewhere: the city's OpenID Connect provider (code flow with PKCE)."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    target = _safe_next(request.values.get("next"))
    if not settings.local:
        city = city_provider()
        if city is None:
            return page_error(501, "Logowanie", "Logowanie kontem miejskim (OpenID Connect) nie jest skonfigurowane.")
        session["next"] = target
        return city.authorize_redirect(url_for("workspace.signed_in_at_city", _external=True))
    if request.method == "GET":
        return render_template("workspace/signin.html", staff=DEMO_STAFF, next=target)
    _csrf().protect()
    chosen = next((s for s in DEMO_STAFF if s[0] == request.form.get("login")), None)
    if chosen is None:
        return make_response(render_template("workspace/signin.html", staff=DEMO_STAFF, next=target,
                                             problem="Wybierz osobę z listy."), 422)
    return signed_in_as(chosen[0], chosen[3], target)


@workspace.route("/signin/city")
def signed_in_at_city() -> Any:
    """Back from the city's provider: its groups become roles, by the configuration's map."""
    settings: Settings = current_app.extensions["ochotnicy.settings"]
    city = city_provider()
    if city is None:
        return page_error(501, "Logowanie", "Logowanie kontem miejskim (OpenID Connect) nie jest skonfigurowane.")
    try:
        token = city.authorize_access_token()
    except OAuthError as exc:
        return page_error(401, "Logowanie nieudane", f"Dostawca tożsamości odmówił ({exc.error}). Spróbuj ponownie.")
    claims = token.get("userinfo") or city.userinfo(token=token)
    groups = claims.get("groups") or []
    roles = sorted({role for group in groups for role in settings.oidc_group_roles.get(group, ())})
    if not roles:
        return page_error(403, "Brak uprawnień", "Twoje konto miejskie nie należy do żadnej grupy, która ma uprawnienia "
                          "w systemie Ochotnicy. Poproś administratora o dodanie do właściwej grupy.")
    return signed_in_as(str(claims["sub"]), roles, _safe_next(session.pop("next", None)))


@workspace.route("/signout", methods=["POST"])
def signout() -> Response:
    _csrf().protect()
    response = make_response(redirect(url_for("workspace.signin")))
    response.delete_cookie(COOKIE, path="/")
    return response


def install(app: Flask, settings: Settings) -> None:
    """The workspace in a service's app: CSRF, the shared layout's values and filters, the sign-in pages."""
    app.config.update(SECRET_KEY=settings.secret_key, WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=None,
                      SESSION_COOKIE_NAME="ochotnicy_session", SESSION_COOKIE_SAMESITE="Lax")
    CSRFProtect(app)
    app.extensions["ochotnicy.settings"] = settings
    app.register_blueprint(workspace)
    if settings.oidc_issuer:
        oauth = app.extensions["ochotnicy.oauth"] = OAuth(app)
        oauth.register("city", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
                       server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
                       client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256"})

    @app.errorhandler(CSRFError)
    def _csrf_refused(_error: CSRFError) -> Response:
        return page_error(400, "Formularz wygasł", "Odśwież stronę i wyślij formularz jeszcze raz.")

    @app.context_processor
    def _layout() -> dict[str, Any]:
        principal: Principal | None = g.get("principal")
        nav = [(name, settings.service_urls[name].rstrip("/") + path, label, name == settings.service)
               for name, path, label in NAV]
        return {"nav": nav, "principal": principal, "can": can, "docs_url": "/api/v1/docs",
                "service_url": lambda name: settings.service_urls[name].rstrip("/")}

    app.add_template_filter(lambda amount: "–" if amount is None else polish.pln(amount), "pln")
    app.add_template_filter(polish.day, "day")
    app.add_template_filter(lambda number: "–" if number is None else polish.decimal(number), "hours")


class Paged:
    """One page of a list, with links to its neighbours that keep the list's filters."""

    PER_PAGE = 25

    def __init__(self, items: list[Any], per_page: int = PER_PAGE) -> None:
        self.total = len(items)
        self.pages = max(1, -(-self.total // per_page))
        requested = request.args.get("strona", "1")
        self.number = min(max(int(requested) if requested.isdigit() else 1, 1), self.pages)
        self.items = items[(self.number - 1) * per_page: self.number * per_page]
        self.previous = self.number - 1 if self.number > 1 else None
        self.next = self.number + 1 if self.number < self.pages else None

    def url(self, number: int) -> str:
        values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "strona": str(number)}
        return url_for(request.endpoint or "", **values)
