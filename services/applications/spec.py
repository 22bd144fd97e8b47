"""The applications service, declared once: editions, the institution register, partnerships, MAL, enrolments."""

from __future__ import annotations

from pathlib import Path

from contracts import PUBLIC
from infra.spec import ServiceSpec, Web
from services.applications import import_pages, pages, readmodel
from services.applications.api import course, editions, institutions, partnerships
from services.applications.facts import SqlFacts
from services.applications.handlers import HANDLERS
from services.applications.projection import projector

SPEC = ServiceSpec(
    "applications",
    registry=PUBLIC,
    migrations=Path(__file__).parent / "migrations" / "versions",
    tables=readmodel.metadata,
    own=projector,  # the read model comes from this service's own events only
    handlers=HANDLERS,
    facts=SqlFacts,
    web=Web(
        title="Ochotnicy – wnioski",
        description="Edycje programów, rejestr instytucji, partnerstwa, weryfikacja MAL, zgłoszenia i przebieg edycji.",
        api=[editions.blp, course.blp, institutions.blp, partnerships.blp],
        pages=[pages.bp, import_pages.bp],
    ),
)
