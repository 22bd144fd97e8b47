"""A load of realistic commands from concurrent clients, each one recorded for the "nothing lost" checker.

Every client is a thread with its own `requests.Session` and token. It sends a mix of commands to all
services over HTTP (editions, institutions, partnerships, MAL verifications, enrolments, grants and
rejections once cases are eligible, volunteers, memberships, departures, erasures) and a share of
deliberately bad requests (4xx). Each goes through `tests.support.recording`: a fresh `Idempotency-Key`
and `X-Correlation-ID`, the same ones again when an outage makes it retry, and a record for the checker.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
import uuid
from collections.abc import Callable

import requests

from contracts import vocabulary
from tests.support.recording import Command, Recorder, session_for

CAPS = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
        {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]
KINDS = ("library", "culture_house", "social_welfare_centre", "school", "care_home", "ngo", "other")


@dataclasses.dataclass
class Partnership:
    id: str
    edition_id: str
    institution_ids: list[str]
    mal_ids: list[str]
    mal_required: bool
    requested: int
    status: str = "proposed"
    mal: str = "pending"
    decided: bool = False
    proposed_at: float = 0.0


class World:
    """What the clients know exists (ids learned from 2xx answers), and the personal data they sent."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.lock = threading.Lock()
        self.editions: dict[str, dict] = {}
        self.institutions: dict[str, dict] = {}
        self.partnerships: dict[str, Partnership] = {}
        self.volunteers: list[str] = []
        self.memberships: list[tuple[str, str]] = []
        self.personal: list[str] = []
        """Every name, e-mail and phone sent: they must never show up in a log or a non-personal answer."""

    def pick(self, rng: random.Random, items):
        with self.lock:
            items = list(items)
        return rng.choice(items) if items else None

    def partnership_editions(self) -> list[dict]:
        return [e for e in self.editions.values() if e["kind"] == "partnership"]

    def enrolment_editions(self) -> list[dict]:
        return [e for e in self.editions.values() if e["kind"] == "enrolment"]


class Driver:
    """The commands a member of staff would send, chosen at random by each client."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world
        self.actions: list[tuple[float, Callable[[requests.Session, random.Random], Command | None]]] = [
            (3, self.register_institution),
            (4, self.propose_partnership),
            (2.5, self.verify_mal),
            (0.5, self.withdraw_partnership),
            (1, self.enrol_institution),
            (2.5, self.grant),
            (0.7, self.reject),
            (2.5, self.register_volunteer),
            (2.5, self.join),
            (0.6, self.leave),
            (0.3, self.erase),
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
                self.world.institutions[created["id"]] = {"id": created["id"], "mal": mal}
        return command

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
        with self.world.lock:
            open_ = [p for p in self.world.partnerships.values() if p.status == "proposed" and not p.decided]
        if not open_:
            return None
        partnership = rng.choice(open_)
        command = self.recorder.send(session, "applications", "POST", f"/api/v1/partnerships/{partnership.id}/withdraw",
                                     {"reason": "Partnerzy zrezygnowali"}, action="withdraw_partnership",
                                     aggregate_id=partnership.id, event_types=("PartnershipWithdrawn",))
        if command.ok:
            with self.world.lock:
                partnership.status = "withdrawn"
        return command

    def enrol_institution(self, session, rng):
        edition = self.world.pick(rng, self.world.enrolment_editions())
        institution = self.world.pick(rng, self.world.institutions)
        if edition is None or institution is None:
            return None
        return self.recorder.send(session, "applications", "POST", f"/api/v1/editions/{edition['id']}/enrolments",
                                  {"institution_id": institution}, action="enrol_institution",
                                  event_types=("InstitutionEnrolled",))

    # -- funding ---------------------------------------------------------------
    def _decidable(self, rng) -> Partnership | None:
        with self.world.lock:
            ready = [p for p in self.world.partnerships.values()
                     if p.status == "proposed" and not p.decided and p.mal in ("verified", "n/a")
                     and time.monotonic() - p.proposed_at > 0.5]
        return rng.choice(ready) if ready else None

    def grant(self, session, rng):
        partnership = self._decidable(rng)
        if partnership is None:
            return None
        amount = rng.randrange(500, partnership.requested + 1, 100)
        command = self.recorder.send(session, "funding", "POST", f"/api/v1/cases/{partnership.id}/grant",
                                     {"amount": f"{amount}.00"}, action="grant", aggregate_id=partnership.id,
                                     event_types=("FundingGranted",), companions=("BudgetCommitted",))
        if command.ok or (command.json() or {}).get("rule") == "already_decided":
            with self.world.lock:
                partnership.decided = True
        return command

    def reject(self, session, rng):
        partnership = self._decidable(rng)
        if partnership is None:
            return None
        command = self.recorder.send(session, "funding", "POST", f"/api/v1/cases/{partnership.id}/reject",
                                     {"reason": "Wyczerpany budżet na ten cel"}, action="reject",
                                     aggregate_id=partnership.id, event_types=("FundingRejected",))
        if command.ok or (command.json() or {}).get("rule") == "already_decided":
            with self.world.lock:
                partnership.decided = True
        return command

    # -- volunteers ------------------------------------------------------------
    def register_volunteer(self, session, rng):
        tag = uuid.uuid4().hex[:10]
        person = {"first_name": f"Zofia{tag}", "last_name": f"Wiśniewska{tag}", "email": f"zofia.{tag}@przyklad.waw.pl",
                  "phone": f"+48 6{rng.randrange(10, 99)} {tag[:3].translate(_DIGITS)} {tag[3:6].translate(_DIGITS)}"}
        with self.world.lock:
            self.world.personal += [person["first_name"], person["last_name"], person["email"], person["phone"]]
        command = self.recorder.send(session, "volunteers", "POST", "/api/v1/volunteers", person,
                                     action="register_volunteer", event_types=("VolunteerRegistered",))
        if command.ok:
            with self.world.lock:
                self.world.volunteers.append(command.json()["id"])
        return command

    def join(self, session, rng):
        volunteer = self.world.pick(rng, self.world.volunteers)
        if volunteer is None:
            return None
        partnership = self.world.pick(rng, [p for p in self.world.partnerships.values() if p.status == "proposed"])
        if partnership is not None and rng.random() < 0.4:
            body = {"institution_id": rng.choice(partnership.institution_ids), "edition_id": partnership.edition_id,
                    "partnership_id": partnership.id, "joined_on": "2021-10-01"}
        else:
            edition = self.world.pick(rng, self.world.enrolment_editions())
            institution = self.world.pick(rng, self.world.institutions)
            if edition is None or institution is None:
                return None
            body = {"institution_id": institution, "edition_id": edition["id"], "joined_on": "2019-03-01"}
        command = self.recorder.send(session, "volunteers", "POST", f"/api/v1/volunteers/{volunteer}/memberships", body,
                                     action="join", aggregate_id=volunteer, event_types=("VolunteerJoined",))
        if command.ok:
            with self.world.lock:
                self.world.memberships.append((volunteer, command.json()["id"]))
        return command

    def leave(self, session, rng):
        with self.world.lock:
            if not self.world.memberships:
                return None
            volunteer, membership = self.world.memberships.pop(rng.randrange(len(self.world.memberships)))
        return self.recorder.send(session, "volunteers", "POST",
                                  f"/api/v1/volunteers/{volunteer}/memberships/{membership}/leave",
                                  {"left_on": "2021-12-31"}, action="leave", aggregate_id=volunteer,
                                  event_types=("VolunteerLeft",))

    def erase(self, session, rng):
        with self.world.lock:
            if len(self.world.volunteers) < 10:
                return None
            volunteer = self.world.volunteers.pop(rng.randrange(len(self.world.volunteers)))
            self.world.memberships = [m for m in self.world.memberships if m[0] != volunteer]
        return self.recorder.send(session, "volunteers", "DELETE", f"/api/v1/volunteers/{volunteer}",
                                  action="erase", aggregate_id=volunteer, event_types=("VolunteerErased",))

    # -- deliberately bad requests -------------------------------------------------
    def bad(self, session, rng):
        unknown = str(uuid.uuid4())
        institution = self.world.pick(rng, self.world.institutions) or unknown
        partnership = self.world.pick(rng, list(self.world.partnerships)) or unknown
        volunteer = self.world.pick(rng, self.world.volunteers) or unknown
        cases = [
            ("applications", "/api/v1/institutions", {"name": "Biblioteka", "kind": "library", "district": "Gdańsk"}, None),
            ("applications", "/api/v1/institutions", {"name": "Biblioteka", "kind": "library", "district": "Wola",
                                                      "colour": "red"}, None),
            ("applications", "/api/v1/partnerships", {"edition_id": unknown, "title": "Sam", "lead_institution_id": institution,
                                                      "institution_ids": [institution], "requested_amount": "100.00"}, None),
            ("applications", f"/api/v1/partnerships/{unknown}/mal-verification",
             {"verified": True, "institution_id": institution}, None),
            ("applications", f"/api/v1/partnerships/{partnership}/mal-verification", {"verified": False,
                                                                                      "institution_id": institution}, None),
            ("applications", "/api/v1/editions", None, b'{"programme": "partnerships", "name": '),
            ("applications", "/api/v1/institutions", None, b'[1, 2, 3]'),
            ("funding", f"/api/v1/cases/{unknown}/grant", {"amount": "100.00"}, None),
            ("funding", f"/api/v1/cases/{partnership}/grant", {"amount": "99999999.00"}, None),
            ("funding", f"/api/v1/cases/{partnership}/reject", {"reason": ""}, None),
            ("volunteers", "/api/v1/volunteers", {"first_name": "Jan", "last_name": "Nowak", "email": "nie-adres"}, None),
            ("volunteers", f"/api/v1/volunteers/{unknown}/memberships",
             {"institution_id": institution, "edition_id": unknown, "joined_on": "2019-01-01"}, None),
            ("volunteers", f"/api/v1/volunteers/{volunteer}/memberships/{unknown}/leave", {"left_on": "2019-01-01"}, None),
            ("volunteers", f"/api/v1/volunteers/{volunteer}/memberships", {"joined_on": "wczoraj"}, None),
        ]
        service, path, body, raw = rng.choice(cases)
        if rng.random() < 0.1:  # a reader's token on a write: 403
            reader = _reader(session)
            return self.recorder.send(reader, "applications", "POST", "/api/v1/institutions",
                                      {"name": f"Dom {uuid.uuid4().hex[:6]}", "kind": "other", "district": "Wola"},
                                      action="bad", deliberate=True)
        if rng.random() < 0.1 and self.recorder.commands:  # an Idempotency-Key reused for another request: 422
            earlier = rng.choice(self.recorder.commands[-50:])
            if earlier.method == "POST" and earlier.subject == getattr(session, "subject", "") and earlier.status:
                return self.recorder.send(session, earlier.service, "POST", earlier.path, {"different": uuid.uuid4().hex},
                                          action="bad", deliberate=True, key=earlier.key)
        return self.recorder.send(session, service, "POST", path, body, raw=raw, action="bad", deliberate=True)


_DIGITS = str.maketrans("abcdef", "123456")
_READERS: dict[int, requests.Session] = {}


def _reader(session) -> requests.Session:
    reader = _READERS.get(id(session))
    if reader is None:
        reader = _READERS[id(session)] = session_for(f"{getattr(session, 'subject', 'reader')}-reader", "reporting:read")
    return reader


def _title(kind: str) -> str:
    return {"library": "Biblioteka", "culture_house": "Dom Kultury", "mal": "Miejsce Aktywności Lokalnej",
            "social_welfare_centre": "Ośrodek Pomocy Społecznej", "school": "Szkoła Podstawowa",
            "care_home": "Dom Pomocy Społecznej", "ngo": "Fundacja", "other": "Instytucja"}[kind]


class Load:
    """`with Load(urls, world, clients=6) as load: …` — clients send commands until the block ends."""

    def __init__(self, recorder: Recorder, world: World, *, clients: int = 6, think: float = 0.01,
                 seed: int | None = None, subject: str = "load") -> None:
        self.recorder = recorder
        self.world = world
        self.driver = Driver(recorder, world)
        self._clients = clients
        self._think = think
        self._seed = seed if seed is not None else random.randrange(1 << 30)
        self._subject = subject
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._first = 0
        self.failures: list[str] = []

    @property
    def commands(self) -> list[Command]:
        return self.recorder.commands[self._first:]

    def __enter__(self) -> Load:
        self._first = len(self.recorder.commands)
        for n in range(self._clients):
            thread = threading.Thread(target=self._client, args=(n,), name=f"load-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _client(self, n: int) -> None:
        rng = random.Random(self._seed * 1000 + n)
        session = session_for(f"{self._subject}-{n}")
        weights = [w for w, _ in self.driver.actions]
        actions = [a for _, a in self.driver.actions]
        while not self._stop.is_set():
            action = rng.choices(actions, weights)[0]
            try:
                action(session, rng)
            except Exception as exc:  # noqa: BLE001 - a driver bug must show up in the test, not kill the load
                self.failures.append(f"{action.__name__}: {exc!r}")
            if self._think:
                self._stop.wait(rng.uniform(0, 2 * self._think))

    def wait_for(self, commands: int, timeout: float = 120.0) -> None:
        """Lets the load run until it has sent `commands` more commands."""
        target = len(self.commands) + commands
        deadline = time.monotonic() + timeout
        while len(self.commands) < target and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.recorder.retry_for + self.recorder.timeout + 10)

    def __exit__(self, *exc) -> None:
        self.stop()

