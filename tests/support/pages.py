"""The staff pages' tests, through Flask's test client: signing in by the form, reading pages, their forms and errors."""

from __future__ import annotations

import html
import re

import pytest


def csrf(page: str) -> str:
    """The CSRF token of the page's first form (the sign-out form's, where a page has no other)."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def signed_in(app, login: str = "ewa.wisniewska", next: str = "/editions"):
    """(a test client of the Flask `app`, the answer) after signing in as `login` through the sign-in form, bound for `next`."""
    client = app.test_client()
    form = client.get("/signin", query_string={"next": next}).get_data(as_text=True)
    answer = client.post("/signin", data={"csrf_token": csrf(form), "login": login, "next": next})
    return client, answer


def signed_in_as(login: str, service: str = "app"):
    """A fixture: a client signed in as `login` to the Flask app of the (service, app) fixture named `service`."""

    @pytest.fixture
    def client(request):
        return signed_in(request.getfixturevalue(service)[1], login, "/")[0]

    return client


def text(answer) -> str:
    """The answer's HTML with its character references resolved."""
    return html.unescape(answer.get_data(as_text=True))


def shown(client, path: str) -> str:
    """The page at `path`, which must answer 200, as `text` gives it."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return text(answer)


def hidden_of(page: str, action: str | None = None) -> dict[str, str]:
    """The hidden fields (CSRF token, idempotency key, version) of the page's form posting to `action` (else its first)."""
    for attrs, body in re.findall(r"<form([^>]*)>(.*?)</form>", page, re.S):
        if 'method="post"' in attrs and "signout" not in attrs and (action is None or f'action="{action}"' in attrs):
            found = {}
            for field in re.findall(r"<input([^>]*)>", body):
                if 'type="hidden"' in field:
                    value = re.search(r'value="([^"]*)"', field)
                    found[re.search(r'name="([^"]+)"', field).group(1)] = html.unescape(value.group(1)) if value else ""
            return found
    raise AssertionError(f"no form posting to {action!r}")


def errors_at(page: str, field: str) -> list[str]:
    """The messages shown at `field` (its `<ul id="…-errors">`), none where it has none."""
    found = re.search(rf'id="{re.escape(field)}-errors">(.*?)</ul>', page, re.S)
    return [html.unescape(message) for message in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []
