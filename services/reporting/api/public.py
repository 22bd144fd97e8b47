"""Open results for residents, without a token: each opened edition's headline figures and funded partnerships, and
open-data files of the same; every answer cacheable (ETag, Cache-Control, 304 on If-None-Match)."""

from __future__ import annotations

import hashlib
import urllib.parse

import orjson
from flask import Response, request
from marshmallow import RAISE
from werkzeug.wrappers import Response as ResponseBase

from infra.web.app import service_of
from infra.web.blueprint import Blueprint
from infra.web.http import abort
from services.reporting.api import open_data
from services.reporting.api.open_data import PublicEdition
from services.reporting.api.schemas import NoQuery
from services.reporting.readmodel import public

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/public",
    description="Otwarte wyniki dla mieszkańców, bez tokenu: edycje, ich najważniejsze liczby i dofinansowane partnerstwa "
    "(bez danych osobowych; tylko edycje otwarte przez urząd)",
)
OPEN = ("public.editions", "public.edition", "public.editions_csv", "public.partnerships_csv", "public.partnerships_json")
"""The endpoints served without a token (the service's spec lists them among its open endpoints)."""
MAX_AGE = 60
"""Seconds a browser or proxy may keep an answer without asking again: results change only as events arrive."""
UNTOKENED: dict[str, list] = {"security": []}
"""OpenAPI: these operations need no token."""
NOT_CHANGED = {"304": {"description": "Bez zmian od wersji z nagłówka If-None-Match (pusta odpowiedź)"}}


def cacheable(body: bytes, content_type: str, filename: str | None = None) -> ResponseBase:
    """An answer anyone may keep, with its ETag; a 304 when the client already holds this version."""
    response = Response(body, content_type=content_type)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    if filename:
        quoted = urllib.parse.quote(filename)
        response.headers["Content-Disposition"] = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quoted}"
    return response.make_conditional(request)


def _records(edition_id: str | None = None) -> list[dict]:
    with service_of().read() as session:
        return public.results(session, public.opened(session, edition_id))


def _json(document) -> bytes:
    return orjson.dumps(document)


@blp.route("/editions", methods=["GET"])
@blp.arguments(NoQuery, location="query", unknown=RAISE)
@blp.response(200, PublicEdition(many=True))
@blp.doc(**UNTOKENED, responses=NOT_CHANGED)
def editions(_query):
    """Edycje otwarte przez urząd: najważniejsze liczby i dofinansowane partnerstwa (bez tokenu)"""
    return cacheable(_json(PublicEdition(many=True).dump(_records())), "application/json")


@blp.route("/editions/<uuid:edition_id>", methods=["GET"])
@blp.arguments(NoQuery, location="query", unknown=RAISE)
@blp.response(200, PublicEdition)
@blp.doc(**UNTOKENED, responses=NOT_CHANGED)
def edition(_query, edition_id):
    """Jedna edycja otwarta przez urząd (bez tokenu)"""
    found = _records(edition_id)
    if not found:
        abort(404, message="Nie ma takiej edycji wśród opublikowanych (urząd jej nie otworzył albo jej nie ma).")
    return cacheable(_json(PublicEdition().dump(found[0])), "application/json")


def _csv_doc(description: str) -> dict:
    return {**UNTOKENED, "responses": {"200": {"description": description, "content": {"text/csv": {}}}, **NOT_CHANGED}}


@blp.route("/editions.csv", methods=["GET"])
@blp.arguments(NoQuery, location="query", unknown=RAISE)
@blp.doc(**_csv_doc("CSV (UTF-8, przecinek, kropka dziesiętna): wiersz na edycję z jej najważniejszymi liczbami"))
def editions_csv(_query):
    """Otwarte dane: najważniejsze liczby każdej edycji jako CSV"""
    rows = open_data.edition_rows(_records())
    return cacheable(open_data.to_csv(rows, open_data.EDITION_COLUMNS), open_data.CSV_TYPE, "ochotnicy-edycje.csv")


@blp.route("/partnerships.csv", methods=["GET"])
@blp.arguments(NoQuery, location="query", unknown=RAISE)
@blp.doc(**_csv_doc("CSV (UTF-8, przecinek, kropka dziesiętna): wiersz na dofinansowane partnerstwo"))
def partnerships_csv(_query):
    """Otwarte dane: dofinansowane partnerstwa wszystkich edycji jako CSV"""
    rows = open_data.partnership_rows(_records())
    return cacheable(open_data.to_csv(rows, open_data.PARTNERSHIP_COLUMNS), open_data.CSV_TYPE,
                     "ochotnicy-partnerstwa-dofinansowane.csv")


@blp.route("/partnerships.json", methods=["GET"])
@blp.arguments(NoQuery, location="query", unknown=RAISE)
@blp.doc(**UNTOKENED, responses={"200": {"description": "JSON: lista dofinansowanych partnerstw (te same pola co w CSV)",
                                         "content": {"application/json": {}}}, **NOT_CHANGED})
def partnerships_json(_query):
    """Otwarte dane: dofinansowane partnerstwa wszystkich edycji jako plik JSON"""
    rows = open_data.partnership_rows(_records())
    return cacheable(_json(rows), "application/json", "ochotnicy-partnerstwa-dofinansowane.json")
