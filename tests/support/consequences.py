"""What a command causes in another service with no command of its own, checked once the stack is quiet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import orjson
from sqlalchemy import select

from services.funding.readmodel import cases
from services.reporting import readmodel as reporting
from services.volunteers.readmodel import ENROLMENT, known_participants
from tests.support.recording import Command
from tests.support.settling import Databases

ENDING = {"FundingRevoked", "FundingSettled"}
"""What ends a grant in force: a withdrawal after the grant must meet one of them."""


def withdrawn_grants_taken_back(dbs: Databases, commands: Sequence[Command], funding_events: list, figures) -> None:
    """Funding learnt every accepted withdrawal, and a grant given before it was taken back (FundingRevoked, recorded by
    funding itself), unless it had been settled first; its case says so too."""
    withdrawn = {c.expected_aggregate() for c in commands if c.ok and c.action == "withdraw_partnership"}
    streams: dict[str, list] = defaultdict(list)
    for row in funding_events:
        if row.aggregate_id in withdrawn:
            streams[row.aggregate_id].append(row)
    known = {row.id: row for row in dbs.rows("funding", select(
        cases.c.id, cases.c.withdrawn, cases.c.revoked_at, cases.c.settlement).where(cases.c.withdrawn.is_(True)))}
    for partnership in sorted(p for p in withdrawn if p):
        if partnership not in known:
            figures.lost += 1
            figures.problems.append(f"LOST: funding never learnt that partnership {partnership} withdrew")
            continue
        types = [row.type for row in sorted(streams[partnership], key=lambda row: row.version)]
        if "FundingGranted" not in types:
            continue
        figures.events_checked += 1
        case = known[partnership]
        ended = ENDING & set(types[types.index("FundingGranted") + 1:])
        if not ended or (case.revoked_at is None and case.settlement != "settled"):
            figures.lost += 1
            figures.problems.append(f"LOST: partnership {partnership} withdrew after its grant and keeps it: "
                                    f"funding's events {types}, case revoked_at={case.revoked_at} settlement={case.settlement}")


COURSE = ("record_training", "record_visit", "adopt_programme", "withdraw_enrolment")
"""The actions of an enrolment edition's course: reporting keeps the fact each one's event states."""


def course_reached_its_consumers(dbs: Databases, commands: Sequence[Command], applications_events: list, services,
                                 figures) -> None:
    """Reporting keeps the fact of every accepted course command (a training, a visit, a programme, a withdrawal), and
    the volunteers service learnt every accepted withdrawal: the institution no longer takes part through its enrolment."""
    accepted = [c for c in commands if c.ok and c.action in COURSE]
    if "reporting" in services:
        events = {orjson.loads(row.meta).get("correlation_id"): row.event_id for row in applications_events
                  if row.type in ("TrainingHeld", "MonitoringVisitMade", "VolunteeringProgrammeAdopted", "EnrolmentWithdrawn")}
        kept = {row[0] for row in dbs.rows("reporting", select(reporting.trainings.c.held_event))}
        kept |= {row[0] for row in dbs.rows("reporting", select(reporting.monitoring_visits.c.visited_event))}
        kept |= {event for row in dbs.rows("reporting", select(reporting.enrolments.c.adopted_event,
                                                                reporting.enrolments.c.withdrawn_event)) for event in row}
        for command in accepted:
            figures.events_checked += 1
            if events.get(command.correlation_id) not in kept:
                figures.lost += 1
                figures.problems.append(f"LOST: reporting keeps no fact of {command.describe()}")
    if "volunteers" in services:
        taking_part = {(row.edition_id, row.institution_id) for row in dbs.rows("volunteers", select(
            known_participants.c.edition_id, known_participants.c.institution_id).where(known_participants.c.via == ENROLMENT))}
        for command in (c for c in accepted if c.action == "withdraw_enrolment"):
            edition, institution = command.path.split("/")[4:7:2]  # /api/v1/editions/{e}/enrolments/{i}/withdraw
            if (edition, institution) in taking_part:
                figures.lost += 1
                figures.problems.append(f"LOST: the volunteers service still takes volunteers through a withdrawn "
                                        f"enrolment: {command.describe()}")


def approved_hours_reached_reporting(dbs: Databases, volunteers_events: list, figures) -> None:
    """Reporting keeps every VolunteerHoursApproved the volunteers service stored: the hours its summaries add up."""
    approved = {row.event_id for row in volunteers_events if row.type == "VolunteerHoursApproved"}
    kept = {row[0] for row in dbs.rows("reporting", select(reporting.approved_hours.c.approved_event))}
    figures.events_checked += len(approved)
    if missing := approved - kept:
        figures.lost += len(missing)
        figures.problems.append(f"LOST: reporting keeps no fact of {len(missing)} approved hours: {sorted(missing)[:5]}")
