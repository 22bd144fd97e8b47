"""The reporting service, declared once: summaries built from the three topics alone, their API and pages."""

from __future__ import annotations

from pathlib import Path

from contracts import PUBLIC, topics
from infra.audit.replay import Consumed
from infra.spec import ServiceSpec, Web
from services.reporting import pages, readmodel
from services.reporting.api import editions, programmes, public
from services.reporting.pages import results
from services.reporting.readmodel.projection import projector

CONSUMER = "reporting-v3"
"""The group of the consumer of all three topics. Renamed whenever reporting begins counting events an older group read and
dropped: revocations, settlements and corrections of the register (v2, reporting_0004); trainings, monitoring visits,
adopted programmes, withdrawn enrolments and approved hours (v3, reporting_0005). A new group reads the topics from
their start, so it learns what the old one dropped."""
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

SPEC = ServiceSpec(
    "reporting",
    registry=PUBLIC,
    migrations=MIGRATIONS,
    tables=readmodel.metadata,
    consumed=(Consumed(CONSUMER, topics.ALL, projector),),
    snapshot_reads=True,  # a summary is several queries: one snapshot
    web=Web(
        title="Ochotnicy – podsumowania",
        description=(
            "Podsumowania edycji zbudowane wyłącznie ze zdarzeń wszystkich usług, stan na dowolny moment "
            "(as_of: porównanie z czasem zdarzeń), źródła każdej liczby i eksport CSV/XLSX. "
            "Strony dla ludzi: /editions (pracownicy), /wyniki (mieszkańcy, bez logowania). Otwarte dane bez tokenu: "
            "/api/v1/public/…"
        ),
        api=[editions.blp, programmes.blp, public.blp],
        pages=[pages.bp, results.bp],
        open_endpoints=public.OPEN,
    ),
)
