"""The Flask app skeleton: OpenAPI, errors, authentication, correlation ids, metrics, health."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask_swagger_ui
import marshmallow as ma
from flask import Flask, Response, current_app, g, request, send_from_directory
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix

from contracts import topics
from infra import context, metrics
from infra.config import Settings
from infra.web import catalogue, errors, http, idempotency, observe, openapi, workspace
from infra.web.auth import COOKIE, Authenticator, InvalidToken, bearer_token

OPEN_ENDPOINTS = {"healthz", "metrics", "api-docs.openapi_json", "api-docs.openapi_swagger_ui", "docs_assets", "static"}
SWAGGER_UI = Path(flask_swagger_ui.__file__).parent / "dist"


class ErrorSchema(ma.Schema):
    """Every error answer (infra.web.errors.body): flask-smorest's shape, plus the rule a refusal names."""

    code = ma.fields.Integer(metadata={"description": "kod HTTP"})
    status = ma.fields.String(metadata={"description": "nazwa kodu HTTP"})
    message = ma.fields.String(metadata={"description": "co się stało i co zrobić (po polsku)"})
    errors = ma.fields.Dict(metadata={"description": "błędy pól, np. {\"json\": {\"name\": [\"…\"]}}"})
    rule = ma.fields.String(metadata={"description": "kod złamanej reguły, np. cap_exceeded"})


def decimal_as_string(self, field, ret, **_kwargs) -> dict:
    """apispec documents every Decimal as a number; ours travel as strings ("6000.00"), so say so.

    (Its Range bounds would otherwise appear as strings too, which is not a valid OpenAPI document.)
    """
    if not isinstance(field, ma.fields.Decimal) or not field.as_string:
        return {}
    for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        ret.pop(bound, None)
    nullable = isinstance(ret.get("type"), list) and "null" in ret["type"]
    return {"type": ["string", "null"] if nullable else "string", "format": "decimal",
            "pattern": getattr(field, "pattern", r"^-?[0-9]+(\.[0-9]+)?$"), "example": "6000.00"}


class OchotnicyApi(Api):
    """flask-smorest's Api, with every error carrying a message a person can act on."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        code = error.code or 500
        data = getattr(error, "data", None) or {}
        message = data.get("message")
        found = data.get("errors") or data.get("messages")
        json_errors = found.get("json") if isinstance(found, dict) else None
        if isinstance(json_errors, dict) and set(json_errors) == {"_schema"}:
            code, found = 400, None  # well-formed JSON, but not an object: a malformed body
        elif json_errors is not None and not isinstance(json_errors, dict):
            found = None  # webargs' "Invalid JSON body."
        if code == 422 and not message and isinstance(found, dict):
            named = sorted({name for location in found.values() if isinstance(location, dict) for name in location})
            message = "Dane są niepoprawne. Popraw pola: " + ", ".join(named) + "."
        response, status = errors.respond(code, message, errors=found, rule=data.get("rule"))
        response.headers.update(data.get("headers") or {})
        return response, status


def service_of(app: Flask | None = None) -> Any:
    """The composition root's service object the app was created with."""
    return (app or current_app).extensions["ochotnicy.service"]


def send(command: object, answer: Callable[..., Any] | None = None, *args: Any) -> Any:
    """Runs `command` through the service's bus with this request's Idempotency-Key claim.

    Gives the handler's result or, with `answer`, `answer(session, *args)` read in the command's own transaction.
    """
    bus = service_of().bus
    claim = g.get("idempotency_claim")
    if answer is None:
        return bus.handle(command, claim)
    return bus.handle(command, claim, answer=lambda uow: answer(uow.session, *args))


def read(query: Callable[..., Any], *args: Any) -> Any:
    """`query(session, *args)` on the service's read model (one snapshot where the spec asks for it)."""
    with service_of().read() as session:
        return query(session, *args)


def create_app(service: Any) -> Flask:
    """A service's Flask app, as its spec declares it (infra.spec.Web); `service` is what its views call."""
    settings, web, runtime = service.runtime.settings, service.spec.web, service.runtime
    app = Flask(settings.service)
    app.request_class = http.Request  # a chunked body over MAX_CONTENT_LENGTH is a 413 too
    observe.install(app)  # first: its span and access-log line cover whatever the later hooks answer
    app.config.update(
        API_TITLE=web.title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        # Served from the flask-swagger-ui package (Swagger UI 5, the first to render OpenAPI 3.1): no CDN, works offline.
        OPENAPI_SWAGGER_UI_URL="/api/v1/docs/assets/",
        API_SPEC_OPTIONS={
            "info": {"description": web.description},
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if settings.trusted_proxies:
        # Behind a TLS-terminating proxy the request is https to the browser: the sign-in cookie is then Secure.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies)
    app.url_map.converters["uuid"] = http.IdConverter
    json_provider = app.json
    assert isinstance(json_provider, DefaultJSONProvider), "Flask's own provider, whose settings these are"
    json_provider.ensure_ascii = False
    json_provider.sort_keys = False  # fields in the order the schemas declare them
    app.extensions["ochotnicy.service"] = service
    workspace.install(app, settings)  # before the blueprints, whose own template filters come after the shared ones
    open_endpoints = OPEN_ENDPOINTS | catalogue.OPEN | set(web.open_endpoints)
    # Every operation's roles, answers and headers, documented from what its view declares and does.
    operations = openapi.OperationsPlugin(app, open_endpoints, static_endpoints=catalogue.OPEN,
                                          seals_answers=web.answers is not None)
    api = OchotnicyApi(app, spec_kwargs={"extra_plugins": [operations]})
    api.ma_plugin.converter.add_attribute_function(decimal_as_string)
    api.register_converter(http.IdConverter, lambda _converter: {"type": "string", "format": "uuid"})
    for blueprint in web.api:
        api.register_blueprint(blueprint)
    owns_topic = settings.service in topics.BY_SERVICE
    api.register_blueprint(catalogue.blueprint(runtime.registry, lambda: runtime.engine, feed=owns_topic))
    for page in web.pages:
        app.register_blueprint(page)
    errors.register(app)
    _wire_requests(app, settings, open_endpoints)
    idempotency.wire(app, lambda: runtime.engine, web.answers)
    _wire_system_endpoints(app, settings, runtime.health)
    app.extensions["ochotnicy.api"] = api
    app.extensions["ochotnicy.authenticator"] = Authenticator(settings)
    if web.setup is not None:
        web.setup(app, service)
    return app


def _wire_requests(app: Flask, settings: Settings, open_endpoints: set[str]) -> None:
    authenticator = Authenticator(settings)

    @app.before_request
    def _begin():
        g.started = time.perf_counter()
        g.correlation_id = request.headers.get("X-Correlation-ID", "")[:64] or context.new_correlation_id()
        g.context_token = context.set_current(context.Context("anonymous", g.correlation_id))
        if request.endpoint in open_endpoints or workspace.is_page(app):
            return None  # staff pages check the workspace's sign-in themselves
        token, from_cookie = _bearer_token()
        if not token:
            return errors.respond(401)
        try:
            g.principal = workspace.signed_in(token) if from_cookie else authenticator.verify(token)
        except InvalidToken as exc:
            return errors.respond(401, f"Token odrzucony ({exc}). Pobierz nowy: ochotnicy token --role …")
        context.reset(g.context_token)
        g.context_token = context.set_current(context.Context(g.principal.subject, g.correlation_id))
        if request.method in ("POST", "PUT", "PATCH") and _has_body() and not request.is_json:
            return errors.respond(415)
        return None

    @app.after_request
    def _finish(response: Response):
        response.headers["X-Correlation-ID"] = g.get("correlation_id", "")
        endpoint = request.endpoint or "unknown"
        metrics.REQUESTS.labels(settings.service, request.method, endpoint, response.status_code).inc()
        if "started" in g:
            metrics.LATENCY.labels(settings.service, endpoint).observe(time.perf_counter() - g.started)
        return response

    @app.teardown_request
    def _reset(_exc):
        token = g.pop("context_token", None)
        if token is not None:
            context.reset(token)


def _has_body() -> bool:
    """A body announced by its length or sent in chunks (which has no length)."""
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _bearer_token() -> tuple[str | None, bool]:
    """The request's token, and whether it is the workspace's sign-in cookie."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return bearer_token(), False
    # Pages read in a browser (a summary's CSV link) carry the sign-in cookie; never trusted for writes (CSRF).
    return (request.cookies.get(COOKIE), True) if request.method in ("GET", "HEAD") else (None, False)


def _wire_system_endpoints(app: Flask, settings: Settings, health: Callable[[], tuple[dict[str, Any], int]]) -> None:
    @app.get("/api/v1/docs/assets/<path:name>", endpoint="docs_assets")
    def docs_assets(name: str) -> Response:
        return send_from_directory(SWAGGER_UI, name, max_age=24 * 3600)

    @app.get("/healthz", endpoint="healthz")
    def healthz():
        return health()  # the database, the broker and the outbox's age (infra.health)

    @app.get("/metrics", endpoint="metrics")
    def metrics_endpoint():
        payload, content_type = metrics.exposition(settings.metrics_dir)
        return Response(payload, content_type=content_type)
