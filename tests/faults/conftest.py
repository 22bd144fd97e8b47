"""The fault suite's stack: all four services as real processes on their own broker, and the figures report.

One stack serves every scenario of this package (starting eight processes per scenario would not fit the
CI budget); each scenario leaves it whole again, and every check covers everything stored so far.
"""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from ochotnicy.broker import Tansu
from tests.support import nothing_lost
from tests.support.driver import Driver
from tests.support.faults import FaultStack
from tests.support.load import Load
from tests.support.recording import Recorder, session_for
from tests.support.stack import free_port
from tests.support.world import World

SERVICES = ("applications", "funding", "volunteers", "reporting")


@dataclasses.dataclass
class Harness:
    stack: FaultStack
    recorder: Recorder
    world: World

    def load(self, clients: int = 6, think: float = 0.1, **options) -> Load:
        """Clients sending commands until the block ends (about 25 commands a second with the defaults)."""
        return Load(self.recorder, self.world, clients=clients, think=think, **options)


@pytest.fixture(scope="package")
def fault_broker(tmp_path_factory):
    """The stack's own broker: scenarios restart it empty, which the session's shared broker must never see."""
    with Tansu(port=free_port(), log=tmp_path_factory.mktemp("fault-broker") / "tansu.log") as tansu:
        yield tansu


@pytest.fixture(scope="package")
def harness(databases, fault_broker, tmp_path_factory):
    if not databases.postgres:
        pytest.skip("the fault scenarios need PostgreSQL")
    logs = tmp_path_factory.mktemp("fault-logs")
    with FaultStack(SERVICES, databases, fault_broker, logs) as stack:
        recorder = Recorder({s: stack.url(s) for s in SERVICES})
        world = World(uuid.uuid4().hex[:6])
        Driver(recorder, world).seed(session_for("seeder"))
        yield Harness(stack, recorder, world)


def pytest_terminal_summary(terminalreporter):
    reports = nothing_lost.REPORTS
    if not reports:
        return
    write = terminalreporter.write_line
    terminalreporter.section("faults: nothing lost")
    for figures in reports:
        write(figures.line())
    total = nothing_lost.Figures("all scenarios")
    for figures in reports:
        for name in ("commands", "ok", "refused", "retries", "faults", "events_checked", "on_topics", "replayed",
                     "resent", "lost"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.problems += figures.problems
    write(total.line())
