"""The composition root of the applications service: the only place that wires its parts."""

from __future__ import annotations

from pathlib import Path

from contracts import PUBLIC
from infra import config
from infra.replay import ReadModel
from infra.runtime import CommandBus, Service, start
from services.applications import commands, handlers, readmodel
from services.applications.projection import projector

SERVICE = "applications"
MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

HANDLERS = {
    commands.OpenEdition: handlers.open_edition,
    commands.CloseEdition: handlers.close_edition,
    commands.RegisterInstitution: handlers.register_institution,
    commands.ProposePartnership: handlers.propose_partnership,
    commands.VerifyMAL: handlers.verify_mal,
    commands.WithdrawPartnership: handlers.withdraw_partnership,
    commands.EnrolInstitution: handlers.enrol_institution,
}

READ_MODEL = ReadModel(SERVICE, readmodel.metadata, PUBLIC, MIGRATIONS, own=projector)
"""The read model and where it comes from: this service's own events only."""


def bootstrap(settings: config.Settings | None = None, **options) -> Service:
    runtime = start(settings or config.load(SERVICE), registry=PUBLIC, migrations=MIGRATIONS, projector=projector, **options)
    return Service(runtime, READ_MODEL, CommandBus(HANDLERS, runtime.uow))
