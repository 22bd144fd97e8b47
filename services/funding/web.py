"""The funding web app (gunicorn: services.funding.web:create_app())."""

from flask import Flask

from infra.runtime import Service
from infra.web.app import create_app as create_service_app
from services.funding.api import cases, editions
from services.funding.bootstrap import bootstrap


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    return create_service_app(
        service.runtime.settings,
        service,
        title="Ochotnicy – dofinansowanie",
        description="Sprawy dofinansowania partnerstw: limity, kwalifikowalność, decyzje i budżet edycji. "
        "Decyzje można podejmować także po zamknięciu naboru.",
        blueprints=[cases.blp, editions.blp],
        health=service.runtime.health,
    )
