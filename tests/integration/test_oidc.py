"""Production tokens from an OIDC issuer: verified against its published keys (JWKS)."""

from __future__ import annotations

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from infra import config
from infra.web.auth import Authenticator, InvalidToken

ISSUER = "https://logowanie.um.warszawa.pl/realms/ochotnicy"


@pytest.fixture(scope="module")
def issuer():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key())) | {"kid": "klucz-1", "use": "sig", "alg": "RS256"}
    body = json.dumps({"keys": [jwk]}).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, f"http://127.0.0.1:{server.server_port}/certs"
    server.shutdown()


def settings(jwks_url: str) -> config.Settings:
    return config.load("funding", {
        "OCHOTNICY_ENV": "production", "OCHOTNICY_JWT_ISSUER": ISSUER, "OCHOTNICY_JWKS_URL": jwks_url,
        "OCHOTNICY_JWT_AUDIENCE": "ochotnicy", "OCHOTNICY_FUNDING_DATABASE_URL": "postgresql://x/y",
        "OCHOTNICY_SECRET_KEY": "a-pages-key",
    }).check()


def token(key, **claims) -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    payload = {"sub": "anna.nowak", "roles": ["funding:write"], "iss": ISSUER, "aud": "ochotnicy",
               "iat": now, "exp": now + datetime.timedelta(minutes=5)} | claims
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "klucz-1"})


def test_a_token_signed_by_the_issuer_is_accepted_with_its_roles(issuer):
    key, url = issuer
    principal = Authenticator(settings(url)).verify(token(key))
    assert principal.subject == "anna.nowak" and principal.has("funding:write")


@pytest.mark.parametrize("claims", [
    {"iss": "https://elsewhere.example"}, {"aud": "another-app"}, {"iss": None}, {"iat": None},
    {"exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3653)},
], ids=["another-issuer", "another-audience", "no-issuer", "no-iat", "ten-years"])
def test_a_token_for_another_issuer_or_audience_or_valid_too_long_is_refused(issuer, claims):
    key, url = issuer
    with pytest.raises(InvalidToken):
        Authenticator(settings(url)).verify(token(key, **claims))


def test_a_token_signed_by_another_key_is_refused(issuer):
    _, url = issuer
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        Authenticator(settings(url)).verify(token(stranger))


def test_a_shared_secret_token_is_refused_when_an_issuer_is_configured(issuer):
    _, url = issuer
    forged = jwt.encode({"sub": "x", "roles": ["audit"], "exp": datetime.datetime.now(datetime.timezone.utc)
                         + datetime.timedelta(minutes=5)}, config.LOCAL_JWT_SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        Authenticator(settings(url)).verify(forged)
