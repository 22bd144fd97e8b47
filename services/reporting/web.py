"""The reporting web app (gunicorn: services.reporting.web:create_app()): the API and the pages."""

from flask import Flask

from infra.runtime import Service
from infra.web.app import create_app as create_service_app
from infra.web.auth import Authenticator
from services.reporting import pages
from services.reporting.api import editions
from services.reporting.bootstrap import bootstrap


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    app = create_service_app(
        service.runtime.settings,
        service,
        title="Ochotnicy – podsumowania",
        description=(
            "Podsumowania edycji zbudowane wyłącznie ze zdarzeń wszystkich usług, stan na dowolny moment "
            "(as_of: porównanie z czasem zdarzeń), źródła każdej liczby i eksport CSV/XLSX. "
            "Strona dla ludzi: /editions."
        ),
        blueprints=[editions.blp],
        open_endpoints=pages.ENDPOINTS,
        health=service.runtime.health,
    )
    app.extensions["reporting.authenticator"] = Authenticator(service.runtime.settings)
    app.register_blueprint(pages.bp)
    return app
