"""The commands a member of staff would send, one method each, chosen at random by the load's clients."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable

import requests

from contracts import vocabulary
from tests.support import bad_requests
from tests.support.course import Course
from tests.support.decisions import Decisions
from tests.support.hours import Hours
from tests.support.people import People
from tests.support.recording import Command, Recorder
from tests.support.world import CAPS, KINDS, Partnership, World


class Driver:
    """The commands a member of staff would send, chosen at random by each client."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world
        self.decisions = Decisions(recorder, world)
        self.course = Course(recorder, world)
        self.people = People(recorder, world)
        self.hours = Hours(recorder, world)
        self.actions: list[tuple[float, Callable[[requests.Session, random.Random], Command | None]]] = [
            (3, self.register_institution),
            (0.6, self.correct_institution),
            (4, self.propose_partnership),
            (2.5, self.verify_mal),
            (0.6, self.withdraw_partnership),
            (1, self.enrol_institution),
            (1, self.course.record_training),
            (1, self.course.record_visit),
            (0.5, self.course.adopt_programme),
            (0.1, self.course.withdraw_enrolment),
            (2.5, self.decisions.grant),
            (0.7, self.decisions.reject),
            (0.3, self.decisions.revoke),
            (0.8, self.decisions.submit_settlement),
            (0.25, self.decisions.return_settlement),
            (0.5, self.decisions.accept_settlement),
            (2.5, self.people.register_volunteer),
            (2.5, self.people.join),
            (0.6, self.people.leave),
            (0.3, self.people.erase),
            (0.6, self.people.mend_paperwork),
            (0.5, self.people.rectify),
            (2, self.hours.record),
            (1.2, self.hours.approve),
            (0.4, self.hours.decline),
            (0.6, self.hours.refused),
            (2, self.bad),
        ]

    # -- seeding ---------------------------------------------------------------
    def seed(self, session: requests.Session, institutions: int = 12) -> None:
        """Editions of both kinds and some institutions (a few of them MALs), as any office would start."""
        marker = self.world.marker
        for body in (
            {"programme": "partnerships", "name": f"Partnerstwa 2021 – tura jesienna ({marker})", "year": 2021,
             "round": "autumn", "kind": "partnership", "mal_required": True, "opens_on": "2021-09-01",
             "closes_on": "2021-10-31", "grant_caps": CAPS},
            {"programme": "partnerships", "name": f"Partnerstwa 2022 – tura wiosenna ({marker})", "year": 2022,
             "round": "spring", "kind": "partnership", "mal_required": False, "opens_on": "2022-03-01",
             "closes_on": "2022-04-30", "grant_caps": CAPS, "budget": "50000000.00"},
            {"programme": "libraries", "name": f"Rozwój wolontariatu w bibliotekach 2019 ({marker})", "year": 2019,
             "kind": "enrolment", "opens_on": "2019-01-01", "closes_on": "2019-12-31"},
        ):
            command = self.recorder.send(session, "applications", "POST", "/api/v1/editions", body,
                                         action="open_edition", event_types=("EditionOpened",))
            assert command.ok, command.describe()
            edition = command.json()
            with self.world.lock:
                self.world.editions[edition["id"]] = edition
        rng = random.Random(marker)
        for n in range(institutions):
            command = self.register_institution(session, rng, mal=n % 3 == 0)
            assert command is not None and command.ok, command and command.describe()

    # -- applications ----------------------------------------------------------
    def register_institution(self, session, rng, mal: bool | None = None):
        mal = rng.random() < 0.3 if mal is None else mal
        kind = "mal" if mal and rng.random() < 0.5 else rng.choice(KINDS)
        body = {"name": f"{_title(kind)} {uuid.uuid4().hex[:10]} ({self.world.marker})", "kind": kind,
                "district": rng.choice(vocabulary.DISTRICTS), "is_mal": bool(mal and kind != "mal")}
        command = self.recorder.send(session, "applications", "POST", "/api/v1/institutions", body,
                                     action="register_institution", event_types=("InstitutionRegistered",))
        if command.ok:
            created = command.json()
            with self.world.lock:
                self.world.institutions[created["id"]] = {"id": created["id"], "mal": mal, "kind": kind}
        return command

    def correct_institution(self, session, rng):
        """A correction of the register with the version just read: always a new name (so one event), now and then a district."""
        institution = self.world.pick(rng, self.world.institutions)
        if institution is None:
            return None
        try:
            current = session.get(f"{self.recorder.urls['applications']}/api/v1/institutions/{institution}", timeout=10)
        except requests.RequestException:
            return None  # an outage: the correction waits for another turn
        if current.status_code != 200:
            return None
        kind = self.world.institutions[institution]["kind"]
        body = {"name": f"{_title(kind)} {uuid.uuid4().hex[:10]} ({self.world.marker})"}
        if rng.random() < 0.3:
            body["district"] = rng.choice(vocabulary.DISTRICTS)
        return self.recorder.send(session, "applications", "PATCH", f"/api/v1/institutions/{institution}", body,
                                  action="correct_institution", aggregate_id=institution, headers={"If-Match": current.headers["ETag"]},
                                  event_types=("InstitutionDetailsChanged",))

    def propose_partnership(self, session, rng):
        edition = self.world.pick(rng, self.world.partnership_editions())
        with self.world.lock:
            institutions = list(self.world.institutions.values())
        if edition is None or len(institutions) < 4:
            return None
        size = rng.choice((2, 2, 3, 3, 4, 5))
        chosen = rng.sample(institutions, size)
        if edition["mal_required"] and not any(i["mal"] for i in chosen):
            mals = [i for i in institutions if i["mal"]]
            if not mals:
                return None
            chosen[0] = rng.choice(mals)
            if len({i["id"] for i in chosen}) < 2:
                return None
        ids = list(dict.fromkeys(i["id"] for i in chosen))
        cap = 6000 if len(ids) <= 3 else 10000
        requested = rng.randrange(1000, cap + 1, 100)
        body = {"edition_id": edition["id"], "title": f"Inicjatywa {uuid.uuid4().hex[:8]}", "lead_institution_id": ids[0],
                "institution_ids": ids, "requested_amount": f"{requested}.00"}
        command = self.recorder.send(session, "applications", "POST", "/api/v1/partnerships", body,
                                     action="propose_partnership", event_types=("PartnershipProposed",))
        if command.ok:
            created = command.json()
            with self.world.lock:
                self.world.partnerships[created["id"]] = Partnership(
                    created["id"], edition["id"], ids, [i["id"] for i in chosen if i["mal"]], edition["mal_required"],
                    requested, mal="pending" if edition["mal_required"] else "n/a", proposed_at=time.monotonic())
        return command

    def verify_mal(self, session, rng):
        with self.world.lock:
            pending = [p for p in self.world.partnerships.values() if p.mal == "pending" and p.status == "proposed"]
        if not pending:
            return None
        partnership = rng.choice(pending)
        verified = rng.random() < 0.85
        body = {"verified": verified, "institution_id": rng.choice(partnership.mal_ids)}
        if not verified:
            body["reason"] = "MAL nie potwierdził udziału w inicjatywie"
        command = self.recorder.send(session, "applications", "POST", f"/api/v1/partnerships/{partnership.id}/mal-verification",
                                     body, action="verify_mal", aggregate_id=partnership.id,
                                     event_types=("MALVerified", "MALVerificationFailed"))
        if command.ok:
            with self.world.lock:
                partnership.mal = "verified" if verified else "failed"
        return command

    def withdraw_partnership(self, session, rng):
        """Before any decision (it may cross a grant in flight), or after a grant, which funding then takes back itself."""
        with self.world.lock:
            open_ = [p for p in self.world.partnerships.values() if p.status == "proposed" and not p.decided]
            granted = [p for p in self.world.partnerships.values() if p.status == "proposed" and p.granted]
        partnership = self.world.pick(rng, granted if granted and (not open_ or rng.random() < 0.5) else open_)
        if partnership is None:
            return None
        command = self.recorder.send(session, "applications", "POST", f"/api/v1/partnerships/{partnership.id}/withdraw",
                                     {"reason": "Partnerzy zrezygnowali"}, action="withdraw_partnership",
                                     aggregate_id=partnership.id, event_types=("PartnershipWithdrawn",))
        if command.ok:
            with self.world.lock:
                partnership.status, partnership.granted = "withdrawn", False  # unless settled, funding revokes it itself
        return command

    def enrol_institution(self, session, rng):
        edition = self.world.pick(rng, self.world.enrolment_editions())
        # Mostly libraries, which the library editions take; now and then anything, which they refuse.
        with self.world.lock:
            libraries = [i for i, facts in self.world.institutions.items() if facts.get("kind") == "library"]
        institution = self.world.pick(rng, libraries if libraries and rng.random() < 0.8 else self.world.institutions)
        if edition is None or institution is None:
            return None
        command = self.recorder.send(session, "applications", "POST", f"/api/v1/editions/{edition['id']}/enrolments",
                                     {"institution_id": institution}, action="enrol_institution",
                                     event_types=("InstitutionEnrolled",))
        if command.ok:
            with self.world.lock:
                self.world.enrolments.append((edition["id"], institution))
        return command

    def bad(self, session, rng):
        return bad_requests.send(self.recorder, self.world, session, rng)


def _title(kind: str) -> str:
    return {"library": "Biblioteka", "culture_house": "Dom Kultury", "mal": "Miejsce Aktywności Lokalnej",
            "social_welfare_centre": "Ośrodek Pomocy Społecznej", "school": "Szkoła Podstawowa",
            "care_home": "Dom Pomocy Społecznej", "ngo": "Fundacja", "other": "Instytucja"}[kind]
