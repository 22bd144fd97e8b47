"""The edition budget is never overspent, even by many grants at once from several processes (PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import threading
from decimal import Decimal

import orjson
import pytest
from sqlalchemy import select

from infra.eventstore.records import ConcurrencyError
from infra.eventstore.tables import events
from services.funding import queries
from services.funding.domain.budget import EditionBudget, budget_id
from services.funding.domain.cases import FundingCase
from tests.integration.funding.grant_storm import fire
from tests.integration.funding.support import apply, uid


@pytest.fixture(autouse=True)
def postgres_only(databases):
    if not databases.postgres:
        pytest.skip("concurrent writers need PostgreSQL")


def test_forty_grants_at_once_from_two_processes_never_overspend_the_budget(funding, feed):
    service, app = funding
    edition_id = uid()
    partnerships = [uid() for _ in range(40)]
    apply(service, feed.edition_opened(edition_id, mal_required=False, budget="50000.00"),
          *[feed.proposed(p, edition_id) for p in partnerships])
    grants = [(p, "5000.00") for p in partnerships]  # the budget fits exactly 10 of them
    other = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.funding.grant_storm", service.runtime.settings.database_url,
         orjson.dumps(grants[20:]).decode()],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert other.stdout.readline().strip() == "ready"
        go = threading.Event()
        answers, threads = fire(app, grants[:20], go)
        other.stdin.write("go\n")
        other.stdin.flush()
        go.set()
        for thread in threads:
            thread.join(timeout=120)
        answers += orjson.loads(other.stdout.readline())
    finally:
        other.wait(timeout=60)
    assert len(answers) == 40
    assert {a["status"] for a in answers} <= {201, 409, 422}, answers
    accepted = {a["partnership_id"] for a in answers if a["status"] == 201}
    refused = [a for a in answers if a["status"] != 201]
    assert all(a["rule"] in ("over_budget", "concurrent_change") for a in refused), refused
    assert len(accepted) == 10, "the budget fits ten grants of 5 000 zł, and deciding in turn lets all ten through"

    with service.read() as session:
        rows = session.execute(select(events.c.aggregate_id, events.c.type, events.c.data).where(
            events.c.aggregate_id.in_(partnerships + [budget_id(edition_id)]))).all()
        budget = queries.budget(session, edition_id)
    granted = [(a, orjson.loads(d)) for a, t, d in rows if t == "FundingGranted"]
    committed = [orjson.loads(d) for a, t, d in rows if t == "BudgetCommitted"]
    assert sorted(a for a, _ in granted) == sorted(accepted), "exactly one event per accepted grant, none for others"
    assert sorted(c["partnership_id"] for c in committed) == sorted(accepted)
    total = sum(Decimal(d["amount"]) for _, d in granted)
    assert total == sum(Decimal(c["amount"]) for c in committed) <= Decimal("50000.00")
    assert budget["committed"] == total and budget["remaining"] == Decimal("50000.00") - total


def test_two_grants_deciding_on_the_same_remaining_budget_cannot_both_commit(funding, feed):
    """The guarantee itself, without the turn-taking lock: the budget aggregate's next version is taken once."""
    service, _ = funding
    edition_id, first, second = uid(), uid(), uid()
    apply(service, feed.edition_opened(edition_id, mal_required=False, budget="6000.00"),
          feed.proposed(first, edition_id), feed.proposed(second, edition_id))
    runtime = service.runtime
    a, b = runtime.uow(), runtime.uow()
    with a, b:
        for uow, partnership_id in ((a, first), (b, second)):
            facts = queries.case_facts(uow.session, partnership_id)
            rules = queries.edition_rules(uow.session, edition_id)
            case = FundingCase(partnership_id)
            uow.aggregates.add(case)
            case.grant(facts, rules, Decimal("6000.00"))
            budget = uow.aggregates.get(EditionBudget, budget_id(edition_id)) or EditionBudget.of_edition(edition_id)
            uow.aggregates.add(budget)
            budget.commit(partnership_id, Decimal("6000.00"), budget=rules.budget, edition_name=rules.name)
        a.commit()
        with pytest.raises(ConcurrencyError):
            b.commit()
    with service.read() as session:
        assert queries.budget(session, edition_id)["committed"] == Decimal("6000.00")
        assert queries.case(session, second)["status"] == "open", "the loser left nothing behind"
