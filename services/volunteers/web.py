"""The volunteers web app (gunicorn: services.volunteers.web:create_app())."""

from flask import Flask

from infra.runtime import Service
from infra.web.app import create_app as create_service_app
from services.volunteers.api import volunteers
from services.volunteers.bootstrap import bootstrap


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    return create_service_app(
        service.runtime.settings,
        service,
        title="Ochotnicy – wolontariusze",
        description="Wolontariusze i ich członkostwa w instytucjach. Dane osobowe są szyfrowane kluczem "
        "każdej osoby i nie opuszczają tej usługi; usunięcie danych (RODO) niszczy klucz.",
        blueprints=[volunteers.blp],
        health=service.runtime.health,
    )
