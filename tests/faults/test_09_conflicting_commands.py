"""Scenario 9: 50 concurrent conflicting commands on one aggregate: exactly one wins, the rest get 409."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, select

from infra.eventstore.tables import events
from tests.support.nothing_lost import check
from tests.support.recording import session_for
from tests.support.waiting import wait_until


def storm(harness, service: str, path: str, bodies: list[dict], headers: dict | None = None, **expected):
    """Sends every body at once (one client each, released together) and returns the commands."""
    barrier = threading.Barrier(len(bodies))
    commands = [None] * len(bodies)

    def send(n: int) -> None:
        session = session_for(f"rival-{n}")
        barrier.wait()
        commands[n] = harness.recorder.send(session, service, "POST", path, bodies[n], action="conflict",
                                            headers=headers, **expected)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(bodies))]
    [t.start() for t in threads]
    [t.join(timeout=120) for t in threads]
    return commands


def versions(stack, service: str, aggregate_id: str) -> list[int]:
    engine = create_engine(stack.database_urls[service])
    with engine.connect() as connection:
        found = connection.execute(select(events.c.version).where(events.c.aggregate_id == aggregate_id)
                                   .order_by(events.c.version)).scalars().all()
    engine.dispose()
    return found


def a_partnership(harness) -> dict:
    """A fresh partnership in the edition without a MAL requirement: eligible for funding at once."""
    world, staff = harness.world, session_for("rivals-office")
    edition = next(e for e in world.partnership_editions() if not e["mal_required"])
    ids = list(world.institutions)[:3]
    command = harness.recorder.send(staff, "applications", "POST", "/api/v1/partnerships", {
        "edition_id": edition["id"], "title": "Sporne partnerstwo", "lead_institution_id": ids[0],
        "institution_ids": ids, "requested_amount": "5000.00"}, action="propose_partnership")
    assert command.ok, command.describe()
    return command.json()


@pytest.mark.parametrize("rivals", [50, pytest.param(200, marks=[pytest.mark.faults, pytest.mark.timeout(900)])])
def test_concurrent_conflicting_commands_on_one_aggregate_one_wins_the_rest_409_versions_without_gaps(harness, rivals):
    stack = harness.stack
    with harness.load(clients=3) as load:
        granted = a_partnership(harness)
        withdrawn = a_partnership(harness)
        staff = session_for("rivals-office")
        case = f"{stack.url('funding')}/api/v1/cases/{granted['id']}"
        wait_until(lambda: (r := staff.get(case)).status_code == 200 and r.json()["eligible"], what="an eligible case")

        grants = storm(harness, "funding", f"/api/v1/cases/{granted['id']}/grant",
                       [{"amount": f"{1000 + n}.00"} for n in range(rivals)],
                       aggregate_id=granted["id"], event_types=("FundingGranted",), companions=("BudgetCommitted",))
        withdrawals = storm(harness, "applications", f"/api/v1/partnerships/{withdrawn['id']}/withdraw",
                            [{"reason": f"Rezygnacja nr {n}"} for n in range(rivals)], headers={"If-Match": '"1"'},
                            aggregate_id=withdrawn["id"], event_types=("PartnershipWithdrawn",))
    assert not load.failures, load.failures[:5]
    for name, commands, winner in (("grant", grants, 201), ("withdraw", withdrawals, 200)):
        statuses = sorted(c.status for c in commands)
        assert statuses == [winner] + [409] * (rivals - 1), (name, statuses)
    assert versions(stack, "funding", granted["id"]) == [1]
    assert versions(stack, "applications", withdrawn["id"]) == [1, 2]
    [winner] = [c for c in grants if c.ok]
    assert staff.get(case).json()["decision"]["amount"] == winner.json()["decision"]["amount"]
    check(stack, load.commands, scenario=f"{rivals}×2 conflicting commands",
          faults=2 * rivals)
