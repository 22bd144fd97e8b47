"""An enrolment edition's course in the load: trainings, trainers' visits, programmes and withdrawals of enrolled
institutions, with a share the rules refuse (a deliberate 4xx: never a 2xx, whatever the other clients do meanwhile)."""

from __future__ import annotations

import datetime

from contracts import vocabulary
from services.applications.domain.enrolments import enrolment_id
from tests.support.recording import Command, Recorder
from tests.support.world import World


class Course:
    """What staff record of an enrolment edition's course, on the enrolments the clients know of."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world

    def _send(self, session, edition_id: str, tail: str, body: dict, action: str, event: str,
              institution: str | None = None, deliberate: bool = False) -> Command:
        """A command of the course; one about an institution's enrolment writes on the enrolment's stream."""
        return self.recorder.send(session, "applications", "POST", f"/api/v1/editions/{edition_id}/{tail}", body,
                                  action=action, event_types=(event,), deliberate=deliberate,
                                  aggregate_id=enrolment_id(edition_id, institution) if institution else None)

    def _day(self, rng, edition_id: str, before: bool = False) -> str:
        """A day in the edition's first year, or (`before`) the day before it opened."""
        opens_on = datetime.date.fromisoformat(self.world.editions[edition_id]["opens_on"])
        return (opens_on + datetime.timedelta(days=-1 if before else rng.randrange(0, 300))).isoformat()

    def record_training(self, session, rng):
        """Mostly for a few enrolled institutions; now and then one refused: a non-library (never enrolled in a library
        edition: 422 not_enrolled), a day before the opening (422), an institution already withdrawn (409), or a
        partnership edition (422 edition_kind)."""
        chance = rng.random()
        enrolled = self.world.pick(rng, self.world.enrolments)
        withdrawn = self.world.pick(rng, self.world.withdrawn)
        if chance < 0.1:
            edition, institution = self.world.pick(rng, self.world.enrolment_editions()), self.world.pick(
                rng, self.world.institutions, lambda i: self.world.institutions[i]["kind"] != "library")
            if edition is None or institution is None:
                return None
            return self._training(session, rng, edition["id"], [institution], deliberate=True)
        if chance < 0.2 and enrolled is not None:
            return self._training(session, rng, enrolled[0], [enrolled[1]], before=True, deliberate=True)
        if chance < 0.3 and withdrawn is not None:
            return self._training(session, rng, withdrawn[0], [withdrawn[1]], deliberate=True)
        if chance < 0.35:
            partnerships, institution = self.world.partnership_editions(), self.world.pick(rng, self.world.institutions)
            if partnerships and institution is not None:
                return self._training(session, rng, rng.choice(partnerships)["id"], [institution], deliberate=True)
        if enrolled is None:
            return None
        with self.world.lock:
            others = [i for e, i in self.world.enrolments if e == enrolled[0] and i != enrolled[1]]
        return self._training(session, rng, enrolled[0], [enrolled[1], *rng.sample(others, min(len(others), rng.randrange(4)))])

    def _training(self, session, rng, edition_id: str, institutions: list[str], before: bool = False,
                  deliberate: bool = False) -> Command:
        in_enrolment_edition = edition_id in {e["id"] for e in self.world.enrolment_editions()}
        body = {"kind": rng.choice(vocabulary.TRAINING_KINDS), "title": f"Szkolenie {rng.randrange(1000)}",
                "held_on": self._day(rng, edition_id, before) if in_enrolment_edition else "2021-10-01",
                "hours": rng.choice(("2.00", "3.00", "6.00", "6.50", "8.00")), "institution_ids": institutions}
        return self._send(session, edition_id, "trainings", body, "record_training", "TrainingHeld", deliberate=deliberate)

    def record_visit(self, session, rng):
        enrolled = self.world.pick(rng, self.world.enrolments)
        if enrolled is None:
            return None
        edition, institution = enrolled
        body = {"institution_id": institution, "visited_on": self._day(rng, edition),
                "stage": rng.choice(vocabulary.MONITORING_STAGES)}
        return self._send(session, edition, "monitoring-visits", body, "record_visit", "MonitoringVisitMade", institution)

    def adopt_programme(self, session, rng):
        """A programme adopted; now and then a second one for an institution that has one (409)."""
        again = rng.random() < 0.3
        with self.world.lock:
            choices = list(self.world.programmes) if again else [e for e in self.world.enrolments if e not in self.world.programmes]
        if not choices:
            return None
        edition, institution = rng.choice(choices)
        command = self._send(session, edition, f"enrolments/{institution}/programme", {"adopted_on": self._day(rng, edition)},
                             "adopt_programme", "VolunteeringProgrammeAdopted", institution, deliberate=again)
        if command.ok or (command.json() or {}).get("rule") == "programme_adopted":
            with self.world.lock:
                self.world.programmes.add((edition, institution))
        return command

    def withdraw_enrolment(self, session, rng):
        enrolled = self.world.pick(rng, self.world.enrolments)
        if enrolled is None:
            return None
        edition, institution = enrolled
        command = self._send(session, edition, f"enrolments/{institution}/withdraw", {"reason": "Biblioteka rezygnuje"},
                             "withdraw_enrolment", "EnrolmentWithdrawn", institution)
        if command.ok or (command.json() or {}).get("rule") == "withdrawn":
            with self.world.lock:
                if enrolled in self.world.enrolments:
                    self.world.enrolments.remove(enrolled)
                    self.world.withdrawn.append(enrolled)
        return command
