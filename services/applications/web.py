"""The applications web app (gunicorn: services.applications.web:create_app())."""

from flask import Flask

from infra.runtime import Service
from infra.web.app import create_app as create_service_app
from services.applications.api import editions, institutions, partnerships
from services.applications.bootstrap import bootstrap


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    return create_service_app(
        service.runtime.settings,
        service,
        title="Ochotnicy – wnioski",
        description="Edycje programów, rejestr instytucji, partnerstwa, weryfikacja MAL i zgłoszenia.",
        blueprints=[editions.blp, institutions.blp, partnerships.blp],
        health=service.runtime.health,
    )
