"""The staff workspace's one sign-in: a cookie every service's pages accept, CSRF on every form, safe redirects."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from urllib.parse import parse_qs, urlparse

import jwt
import pytest

from infra import config
from infra.web import workspace
from infra.web.auth import COOKIE
from tests.support.apps import service_app
from tests.support.pages import csrf, signed_in
from tests.support.stack import token


@pytest.fixture(scope="module")
def reporting(databases):
    return service_app("reporting", databases.create("ws_reporting"))[1]


@pytest.fixture(scope="module")
def funding(databases):
    return service_app("funding", databases.create("ws_funding"))[1]


def test_a_page_sends_a_person_without_a_sign_in_to_it_keeping_the_address(reporting):
    answer = reporting.test_client().get("/editions?as_of=2021-10-31")
    target = urlparse(answer.headers["Location"])
    assert answer.status_code == 302 and target.path == "/signin"
    assert parse_qs(target.query)["next"] == ["/editions?as_of=2021-10-31"]


def test_signing_in_sets_an_httponly_samesite_cookie_that_every_service_accepts(reporting, funding):
    browser, answer = signed_in(reporting, "ewa.wisniewska", "/editions")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/editions")
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = browser.get("/editions").get_data(as_text=True)
    assert "Zalogowano: <strong>ewa.wisniewska</strong>" in page
    assert 'href="http://127.0.0.1:8001/"' in page and 'aria-current="page">Podsumowania' in page  # the four services
    token = cookie.split(";")[0].split("=", 1)[1]
    # one sign-in: another service (another port of the same host, which gets the same cookie) accepts it
    with funding.test_request_context():
        assert workspace.signed_in(token).subject == "ewa.wisniewska"
    assert funding.test_client().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    # ...but it is no API token: a script cannot use a browser's sign-in as its bearer token


def test_signing_out_is_a_post_with_its_csrf_token_and_drops_the_cookie(reporting):
    browser, _ = signed_in(reporting)
    assert browser.get("/signout").status_code == 405  # never a link: a GET must not sign anyone out
    page = browser.get("/editions").get_data(as_text=True)
    refused = browser.post("/signout", data={})
    assert refused.status_code == 400 and "Formularz wygasł" in refused.get_data(as_text=True)
    answer = browser.post("/signout", data={"csrf_token": csrf(page)})
    assert answer.status_code == 302 and urlparse(answer.headers["Location"]).path == "/signin"
    assert browser.get("/editions").status_code == 302


def test_no_token_in_an_address_or_a_form_signs_anyone_in(reporting):
    # A link that signed its visitor in as someone else (login CSRF) would have them act, unknowing, under that name.
    with reporting.test_request_context():
        cookie_token = workspace.session_token("mallory", ["reporting:read"])
    for value in (token("reporting:read", subject="mallory"), cookie_token):
        for path in ("/login", "/signin"):
            browser = reporting.test_client()
            answer = browser.get(path, query_string={"token": value, "next": "/editions"})
            assert COOKIE not in answer.headers.get("Set-Cookie", ""), path
            assert browser.get("/editions").status_code == 302, path  # still nobody signed in
        browser = reporting.test_client()
        form = browser.get("/signin").get_data(as_text=True)
        answer = browser.post("/signin", data={"csrf_token": csrf(form), "token": value})
        assert answer.status_code == 422 and COOKIE not in answer.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("lasts", [datetime.timedelta(days=3653), None], ids=["ten-years", "no-iat"])
def test_a_sign_in_cookie_made_to_last_longer_than_a_working_day_is_refused(reporting, lasts):
    now = datetime.datetime.now(datetime.timezone.utc)
    claims = {"sub": "mallory", "roles": ["reporting:read"], "aud": workspace.AUDIENCE, "iat": now,
              "exp": now + (lasts or datetime.timedelta(hours=1))}
    if lasts is None:
        del claims["iat"]
    browser = reporting.test_client()
    browser.set_cookie(COOKIE, jwt.encode(claims, config.LOCAL_SECRET_KEY, algorithm="HS256"))
    assert urlparse(browser.get("/editions").headers["Location"]).path == "/signin"
    assert browser.get("/api/v1/editions").status_code == 401


def test_signing_in_without_the_forms_csrf_token_is_refused(reporting):
    answer = reporting.test_client().post("/signin", data={"login": "anna.kowalska", "next": "/editions"})
    assert answer.status_code == 400 and COOKIE not in answer.headers.get("Set-Cookie", "")


def test_an_unknown_person_is_refused_in_polish(reporting):
    browser = reporting.test_client()
    form = browser.get("/signin").get_data(as_text=True)
    answer = browser.post("/signin", data={"csrf_token": csrf(form), "login": "mallory"})
    assert answer.status_code == 422 and "Wybierz osobę z listy." in answer.get_data(as_text=True)


def test_signing_in_never_redirects_to_another_site(reporting):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
                   "/\n/evil.example", "/ /evil.example", "/editions\r\nX: y"):
        _, answer = signed_in(reporting, next=target)
        assert answer.status_code == 302 and urlparse(answer.headers["Location"]).path == "/", target
        form = reporting.test_client().get("/signin", query_string={"next": target}).get_data(as_text=True)
        assert "evil" not in form, target


def test_a_bad_cookie_sends_pages_to_the_sign_in_while_the_api_answers_json_401(reporting):
    browser = reporting.test_client()
    browser.set_cookie(COOKIE, "not-a-token")
    assert urlparse(browser.get("/editions").headers["Location"]).path == "/signin"
    api = browser.get("/api/v1/editions")
    assert api.status_code == 401 and api.is_json


def test_outside_local_mode_there_is_no_demo_sign_in(reporting, monkeypatch):
    settings = reporting.extensions["ochotnicy.settings"]
    monkeypatch.setitem(reporting.extensions, "ochotnicy.settings", config.Settings(**{**vars(settings), "env": "production"}))
    answer = reporting.test_client().get("/signin")
    assert answer.status_code == 501 and "Anna Kowalska" not in answer.get_data(as_text=True)


def test_the_api_docs_need_no_network(reporting):
    page = reporting.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in page and "https://" not in page


def test_every_post_documents_the_idempotency_key_so_the_api_docs_can_send_it(funding):
    document = funding.test_client().get("/api/v1/openapi.json").get_json()
    posts = {path: ops["post"] for path, ops in document["paths"].items() if "post" in ops}
    assert posts and all({"$ref": "#/components/parameters/IdempotencyKey"} in op["parameters"] for op in posts.values())
    assert document["components"]["parameters"]["IdempotencyKey"]["in"] == "header"


def test_behind_a_tls_proxy_the_sign_in_cookie_is_secure(databases):
    from infra.web.app import create_app
    from services.reporting.spec import SPEC
    from tests.support.stack import settings

    proxied = create_app(SPEC.bootstrap(dataclasses.replace(
        settings("reporting", databases.create("ws_proxy"), "127.0.0.1:1"), trusted_proxies=1), configure_logging=False))
    browser = proxied.test_client()
    form = browser.get("/signin", headers={"X-Forwarded-Proto": "https"}).get_data(as_text=True)
    answer = browser.post("/signin", data={"csrf_token": csrf(form), "login": "ewa.wisniewska", "next": "/editions"},
                          headers={"X-Forwarded-Proto": "https", "Referer": "https://localhost/signin"})
    assert "Secure" in answer.headers["Set-Cookie"]
    _, plain = signed_in(proxied)
    assert "Secure" not in plain.headers["Set-Cookie"]  # plain http (local): a Secure cookie would never come back


def test_an_empty_bearer_header_does_not_excuse_a_page_form_from_its_csrf_token(funding):
    browser, _ = signed_in(funding, "anna.kowalska", "/")
    answer = browser.post(f"/cases/{uuid.uuid4()}/grant", data={"amount": "100,00"}, headers={"Authorization": "Bearer "})
    assert answer.status_code == 400 and "Formularz wygasł" in answer.get_data(as_text=True)
