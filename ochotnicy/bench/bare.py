"""The throughput limit: a bare Flask endpoint inserting one row in PostgreSQL, under the services' gunicorn settings.

`python -m ochotnicy.bench.bare <database-url> <port>`
"""

from __future__ import annotations

import dataclasses
import sys

import orjson
from flask import Flask, request
from sqlalchemy import text

from infra import config, db
from ochotnicy import serve

TABLE = "CREATE TABLE IF NOT EXISTS bare_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL)"
INSERT = text("INSERT INTO bare_rows (body) VALUES (CAST(:body AS jsonb)) RETURNING id")


def create_table(database_url: str) -> None:
    engine = db.make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(TABLE))
    engine.dispose()


def create_app(database_url: str) -> Flask:
    engine = db.make_engine(database_url)
    app = Flask(__name__)

    @app.post("/rows")
    def insert():
        body = orjson.dumps(request.get_json(force=True))
        with engine.begin() as connection:
            row_id = connection.execute(INSERT, {"body": body.decode()}).scalar_one()
        return {"id": row_id}, 201

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def main(database_url: str, port: int) -> None:
    # The applications service's own settings (workers, threads, timeouts), on another port.
    settings = dataclasses.replace(config.load("applications"), http_port=port, metrics_dir=None)
    create_table(database_url)  # once, before the workers: concurrent CREATE TABLE IF NOT EXISTS can collide
    serve.gunicorn(lambda: create_app(database_url), settings, "bare")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
