"""The skeleton every service shares (shown on applications): OpenAPI, health, metrics, tokens and roles, correlation ids."""

from __future__ import annotations

import datetime
import http.client
import io
import uuid

import jwt
import orjson
import pytest
from sqlalchemy import select

from infra import config
from infra.eventstore.tables import events, outbox
from infra.web.fields import DECIMAL
from tests.support.browser import served

INSTITUTION = {"name": "Biblioteka Publiczna im. Jana Pawła II", "kind": "library", "district": "Mokotów"}


def test_openapi_and_health_are_served_without_a_token(staff):
    anonymous = staff.anonymous()
    spec = anonymous.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    document = spec.get_json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/partnerships" in document["paths"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    health = anonymous.get("/healthz")
    body = health.get_json()
    # In-process, with no broker (127.0.0.1:1): the database and the outbox are fine, the broker is not.
    assert health.status_code == 503 and body["status"] == "degraded" and body["service"] == "applications"
    assert body["database"] == "ok" and body["broker"] == "unavailable" and body["outbox"]["status"] == "ok"


def test_the_openapi_document_publishes_how_amounts_and_hours_are_written(staff):
    schemas = staff.anonymous().get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    published_as = (("PartnershipIn", "requested_amount"), ("GrantCap", "cap"), ("EditionIn", "budget"), ("TrainingIn", "hours"))
    for schema, field in published_as:
        published = schemas[schema]["properties"][field]
        assert "string" in published["type"] and published["pattern"] == DECIMAL, (schema, published)


def test_metrics_count_requests_and_appended_events(staff):
    staff.post("/api/v1/institutions", json=INSTITUTION | {"name": f"Biblioteka {uuid.uuid4().hex[:6]}"})
    text = staff.anonymous().get("/metrics").get_data(as_text=True)
    assert 'ochotnicy_http_requests_total{endpoint="institutions.Institutions",method="POST",service="applications",status="201"}' in text
    assert 'ochotnicy_events_appended_total{service="applications",type="InstitutionRegistered"}' in text


def test_no_token_is_401_with_a_message_saying_what_to_send(staff):
    response = staff.anonymous().get("/api/v1/editions")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.get_json()["message"]


@pytest.mark.parametrize(
    "claims, key, reason",
    [
        ({"exp": datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)}, None, "token wygasł"),
        ({}, "another-key-entirely-another-key-entirely", "podpis się nie zgadza"),
        ({"roles": "applications:write"}, None, "pole roles musi być listą tekstów"),
        ({"sub": None}, None, "brakuje w nim pola sub"),
        (None, None, "to nie jest poprawny token JWT"),
        ({"iss": "https://ktos-inny.example"}, None, "token wydał inny wystawca"),
        ({"exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3653)}, None,
         "jego okres ważności przekracza dopuszczalne 12 h"),
        ({"iat": None}, None, "brakuje w nim pola iat"),
    ],
    ids=["expired", "foreign-key", "roles-not-a-list", "no-subject", "not-a-jwt", "another-issuer", "ten-years", "no-iat"],
)
def test_a_bad_token_is_401_saying_why_in_polish(staff, claims, key, reason):
    now = datetime.datetime.now(datetime.timezone.utc)
    payload = {"sub": "intruz", "roles": ["applications:write"], "iss": config.TOKEN_ISSUER, "iat": now,
               "exp": now + datetime.timedelta(hours=1)} | (claims or {})
    payload = {k: v for k, v in payload.items() if v is not None}
    token = jwt.encode(payload, key or config.LOCAL_JWT_SECRET, algorithm="HS256") if claims is not None else "abc.def"
    response = staff.anonymous().post("/api/v1/institutions", json=INSTITUTION, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.get_json()["message"].startswith(f"Token odrzucony ({reason}).")


def test_reads_need_any_valid_token_and_writes_need_the_role(staff):
    reader = staff.as_("reporting:read")
    assert reader.get("/api/v1/institutions").status_code == 200
    refused = reader.post("/api/v1/institutions", json=INSTITUTION)
    assert refused.status_code == 403
    assert "applications:write" in refused.get_json()["message"]


def test_the_correlation_id_travels_from_the_request_into_the_stored_and_published_event(staff, app):
    correlation = f"req-{uuid.uuid4()}"
    response = staff.post(
        "/api/v1/institutions",
        json=INSTITUTION | {"name": f"Dom Kultury {uuid.uuid4().hex[:6]}"},
        headers={"X-Correlation-ID": correlation},
    )
    assert response.status_code == 201
    assert response.headers["X-Correlation-ID"] == correlation
    with app[0].runtime.engine.connect() as connection:
        stored = connection.execute(
            select(events.c.meta, events.c.event_id).where(events.c.aggregate_id == response.get_json()["id"])
        ).one()
        published = connection.execute(select(outbox.c.payload).where(outbox.c.event_id == stored.event_id)).scalar()
    assert orjson.loads(stored.meta) == {"actor": "tester", "correlation_id": correlation}
    assert orjson.loads(published)["correlationid"] == correlation


@pytest.mark.parametrize(
    "body, content_type, status",
    [("{oops", "application/json", 400), ("[1, 2]", "application/json", 400), ("[" * 100_000, "application/json", 400),
     ('{"a":' * 5_000 + "1" + "}" * 5_000, "application/json", 400), ('{"name": ' + "1" * 5_000 + "}", "application/json", 400),
     ("name=x", "application/x-www-form-urlencoded", 415)],
)
def test_malformed_bodies_are_400_and_never_500(staff, body, content_type, status):
    response = staff._client.post("/api/v1/institutions", data=body, content_type=content_type, headers=staff.headers)
    assert response.status_code == status
    assert response.get_json()["message"]


def test_a_key_repeated_in_one_object_is_400_naming_it_instead_of_the_last_one_winning(staff):
    body = '{"name": "Biblioteka A", "kind": "library", "district": "Wola", "name": "Biblioteka B"}'
    response = staff._client.post("/api/v1/institutions", data=body, content_type="application/json",
                                  headers=staff.headers)
    assert response.status_code == 400 and "„name”" in response.get_json()["message"]


def test_a_body_sent_in_chunks_that_is_not_json_is_415_like_any_other(staff):
    response = staff._client.post("/api/v1/institutions", input_stream=io.BytesIO(b"name=x"),
                                  content_type="application/x-www-form-urlencoded",
                                  headers=staff.headers | {"Transfer-Encoding": "chunked"})
    assert response.status_code == 415 and response.get_json()["message"]


def _post_in_chunks(url: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
    """POSTs `body` to a real server in 64 KB chunks (Transfer-Encoding: chunked, no Content-Length)."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        pieces = (body[at:at + 65536] for at in range(0, len(body), 65536))
        connection.request("POST", "/api/v1/institutions", body=pieces, encode_chunked=True,
                           headers=headers | {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        answer = connection.getresponse()
        return answer.status, orjson.loads(answer.read())
    finally:
        connection.close()


def test_a_body_over_one_megabyte_sent_in_chunks_is_413_as_when_its_length_is_declared(staff, app):
    # Werkzeug's test client hands the app the whole body at once: a real server reads the chunks as they come.
    name = "Biblioteka " + "ż" * 600_000  # 1.2 MB of UTF-8: JSON that would parse, if read whole
    too_large = orjson.dumps(INSTITUTION | {"name": name})
    declared = staff._client.post("/api/v1/institutions", data=too_large, content_type="application/json",
                                  headers=staff.headers)
    with served(app[1]) as url:
        status, body = _post_in_chunks(url, staff.headers, too_large)
        small = _post_in_chunks(url, staff.headers, orjson.dumps(INSTITUTION | {"name": f"Biblioteka {uuid.uuid4().hex}"}))
    assert declared.status_code == 413
    assert status == 413 and body == declared.get_json()
    assert small[0] == 201  # one under the limit is read whole, chunks and all


def test_a_query_parameter_given_twice_is_422_naming_it_not_its_first_value_taken(staff):
    response = staff.get("/api/v1/events?after=1&after=2")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"] == {"after": ["Podaj ten parametr tylko raz."]}


@pytest.mark.parametrize("after", ["99999999999999999999999999", str(2**63), "-1"])
def test_an_event_position_out_of_range_is_422_not_500(staff, after):
    response = staff.get(f"/api/v1/events?after={after}")
    assert response.status_code == 422
    assert "after" in response.get_json()["errors"]["query"]
