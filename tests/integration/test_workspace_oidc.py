"""Outside local mode staff sign in at the city's OpenID Connect provider (here oidc-provider-mock, a real server).

The authorization code flow with PKCE, the provider's groups mapped to roles by configuration, the same cookie as
the local sign-in afterwards.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from infra import config
from infra.web.app import create_app
from services.reporting.spec import SPEC


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub="anna.kowalska@um.warszawa.pl", claims={"groups": ["referenci", "inni"]}),
             User(sub="gosc@um.warszawa.pl", claims={"groups": ["goscie"]})]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider, databases):
    settings = config.load("reporting", {
        "OCHOTNICY_ENV": "production", "OCHOTNICY_JWT_SECRET": "an-api-secret", "OCHOTNICY_SECRET_KEY": "a-pages-key",
        "OCHOTNICY_REPORTING_DATABASE_URL": databases.create("ws_oidc"), "OCHOTNICY_KAFKA_BOOTSTRAP": "127.0.0.1:1",
        "OCHOTNICY_OIDC_ISSUER": provider, "OCHOTNICY_OIDC_CLIENT_ID": "ochotnicy",
        "OCHOTNICY_OIDC_CLIENT_SECRET": "client-secret",
        "OCHOTNICY_OIDC_GROUP_ROLES": "referenci=reporting:read,applications:write;analitycy=reporting:read",
    }).check()
    return create_app(SPEC.bootstrap(settings, configure_logging=False))


def sign_in(app, subject: str):
    """Follows the flow as a browser would: our /signin, the provider's form, back to us with a code."""
    browser = app.test_client()
    first = browser.get("/signin", query_string={"next": "/editions"})
    assert first.status_code == 302
    authorize = first.headers["Location"]
    query = parse_qs(urlparse(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]  # PKCE
    assert query["response_type"] == ["code"] and "openid" in query["scope"][0]
    chosen = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=10)
    assert chosen.status_code == 302
    back = urlparse(chosen.headers["Location"])
    return browser, browser.get(f"{back.path}?{back.query}")


def test_staff_sign_in_at_the_city_and_get_the_roles_of_their_groups(app):
    browser, answer = sign_in(app, "anna.kowalska@um.warszawa.pl")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/editions")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = browser.get("/editions")
    assert page.status_code == 200 and "anna.kowalska@um.warszawa.pl" in page.get_data(as_text=True)
    token = re.search(r"ochotnicy_token=([^;]+)", cookie).group(1)
    with app.test_request_context():
        from infra.web.workspace import signed_in

        assert signed_in(token).roles == {"reporting:read", "applications:write"}  # "inni" maps to nothing


def test_someone_whose_groups_map_to_no_role_is_not_signed_in(app):
    browser, answer = sign_in(app, "gosc@um.warszawa.pl")
    assert answer.status_code == 403 and "nie należy do żadnej grupy" in answer.get_data(as_text=True)
    assert "ochotnicy_token" not in answer.headers.get("Set-Cookie", "")
    assert browser.get("/editions").status_code == 302  # still to the sign-in


def test_there_is_no_demo_sign_in_outside_local_mode(app):
    assert app.test_client().post("/signin", data={"login": "anna.kowalska"}).status_code == 302  # to the provider
