"""The funding service, declared once: cases, eligibility, decisions and each edition's budget."""

from __future__ import annotations

from pathlib import Path

from contracts import topics
from infra.audit.replay import Consumed
from infra.spec import ServiceSpec, Web
from services.funding import audit, pages, readmodel, recovery
from services.funding.api import cases, editions
from services.funding.domain.events import REGISTRY
from services.funding.facts import SqlFacts
from services.funding.handlers import HANDLERS
from services.funding.projection import projector

CONSUMER = "funding-v2"
"""The group of the consumer of applications' events. Renamed with the withdrawal's event id (funding_0004): a new group
reads the topic from its start, so cases withdrawn earlier learn theirs too (the upserts make the repetition harmless)."""

SPEC = ServiceSpec(
    "funding",
    registry=REGISTRY,
    migrations=Path(__file__).parent / "migrations" / "versions",
    tables=readmodel.metadata,
    own=projector,  # decisions, with the applications service's facts below
    consumed=(Consumed(CONSUMER, (topics.APPLICATIONS,), projector),),
    handlers=HANDLERS,
    facts=SqlFacts,
    # A case is read with several queries (cases, editions, the budget granted, deciders): one snapshot, so a grant
    # committed meanwhile shows in all of them or in none.
    snapshot_reads=True,
    web=Web(
        title="Ochotnicy – dofinansowanie",
        description="Sprawy dofinansowania partnerstw: limity, kwalifikowalność, decyzje i budżet edycji. "
        "Decyzje można podejmować także po zamknięciu naboru.",
        api=[cases.blp, editions.blp],
        pages=[pages.bp],
    ),
    checks=audit.recheck,  # every grant and settlement re-checkable against the rules and facts it applied
    recovered=recovery.mend_budgets,  # a restore loses the budget's private events: derived again from the grants
)
