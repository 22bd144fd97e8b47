"""Errors of the database are answered as what they are: unavailable (503, retry), not a fault of ours (500)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.exc import DBAPIError, PendingRollbackError, ProgrammingError

from infra.web import errors


class _Cut(Exception):
    pass


def _app(error: Exception) -> Flask:
    app = Flask(__name__)
    errors.register(app)

    @app.get("/")
    def fail():
        raise error

    return app


@pytest.mark.parametrize(
    "error",
    [
        DBAPIError("SELECT 1", {}, _Cut("server closed the connection"), connection_invalidated=True),
        PendingRollbackError("Can't reconnect until invalid transaction is rolled back."),
    ],
    ids=["cut connection", "session used after a cut"],
)
def test_a_lost_database_is_503_with_retry_after(error):
    response = _app(error).test_client().get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["message"] == errors.MESSAGES[503]


def test_a_wrong_statement_is_still_500():
    response = _app(ProgrammingError("SELECT nonsense", {}, _Cut("syntax error"))).test_client().get("/")
    assert response.status_code == 500
