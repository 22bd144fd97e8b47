"""Loads the demonstration data (`ochotnicy.demo_data`) through the services' public HTTP APIs.

It acts as staff would: a token of its own (subject `demo`), one request per action, and every
POST carries an Idempotency-Key derived from what it creates. A second run, or a run after an
interruption, therefore adds nothing twice: the services answer a repeated key with their first
answer (the same ids). A run first looks whether the demo editions exist and are closed (the last
step), and then does nothing at all.

Cross-service knowledge travels by events, so the loader waits where staff would wait: it grants
funding once the funding service shows the case eligible, and retries a volunteer's membership
(with a new key) while the volunteers service still answers "wait a moment".
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import shutil
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TextIO

from tqdm import tqdm

from infra import config
from infra.polish import pln
from ochotnicy import demo_data as data
from ochotnicy.demo_client import Client, DemoFailed

WORKERS = 6
WAIT_FOR_EVENTS_S = 120.0  # how long another service may take to learn what applications decided
RETRY_PAUSE_S = 0.5
_NOT_YET = {"unknown_edition", "unknown_institution", "unknown_partnership", "institution_not_in_edition"}  # "wait a moment"


@dataclasses.dataclass
class Result:
    """What the load produced (ids by the demo data's keys) and whether it was skipped."""

    skipped: bool = False
    seconds: float = 0.0
    editions: dict[str, str] = dataclasses.field(default_factory=dict)
    institutions: dict[str, str] = dataclasses.field(default_factory=dict)
    partnerships: dict[str, str] = dataclasses.field(default_factory=dict)
    volunteers: dict[str, str] = dataclasses.field(default_factory=dict)
    memberships: dict[str, str] = dataclasses.field(default_factory=dict)
    summaries: dict[str, dict] = dataclasses.field(default_factory=dict)


class Loader:
    def __init__(self, settings: config.Settings, out: TextIO | None = None, progress: bool | None = None) -> None:
        self.settings = settings
        self.client = Client(settings)
        self.out = out or sys.stdout
        # tqdm decides by itself (None) whether the output is a terminal.
        self.progress_off = None if progress is None else not progress
        self.result = Result()

    # -- the whole load -----------------------------------------------------------------------
    def existing_editions(self) -> dict[str, dict]:
        """The demo editions already in the applications service, by the demo data's keys."""
        by_name = {}
        for edition in self.client.get("applications", "/editions"):
            by_name.setdefault(edition["name"], edition)
        return {e.key: by_name[e.name] for e in data.EDITIONS if e.name in by_name}

    def complete(self) -> bool:
        existing = self.existing_editions()
        done = len(existing) == len(data.EDITIONS) and all(e["status"] == "closed" for e in existing.values())
        if done:
            self.result.editions = {key: e["id"] for key, e in existing.items()}
        return done

    def check_up(self) -> None:
        """Fails at once, saying what to do, when a service the demo needs does not answer."""
        down = []
        for service in ("applications", "funding", "volunteers"):
            url = f"{self.settings.service_urls[service].rstrip('/')}/healthz"
            try:
                with urllib.request.urlopen(url, timeout=3) as response:
                    if response.status != 200:
                        down.append(f"{service} ({url})")
            except OSError:
                down.append(f"{service} ({url})")
        if down:
            raise DemoFailed(f"Nie odpowiadają: {', '.join(down)}. Uruchom najpierw stos: make run.")

    def load(self, force: bool = False) -> Result:
        started = time.monotonic()
        self.check_up()
        if not force and self.complete():
            self.result.skipped = True
            self._say("Dane demonstracyjne są już wczytane – nic nie dodaję (ponownie: ochotnicy demo --force).")
            return self.result
        self._say("Wczytuję dane demonstracyjne (edycje 2017–2021) przez API usług…")
        with concurrent.futures.ThreadPoolExecutor(WORKERS, thread_name_prefix="demo") as self.pool:
            self._editions()
            self._institutions()
            self._partnerships()
            self._enrolments()
            self._mal_checks_and_withdrawals()
            self._decisions()
            self._volunteers()
            self._memberships()
            self._leaves()
            self._close()
        self.result.seconds = time.monotonic() - started
        self._report()
        return self.result

    # -- steps ----------------------------------------------------------------------------------
    def _editions(self) -> None:
        for edition in data.EDITIONS:
            answer = self.client.post("applications", "/editions", edition.body(), f"edition:{edition.key}")
            self.result.editions[edition.key] = answer.body["id"]

    def _institutions(self) -> None:
        def register(institution: data.Institution) -> tuple[str, str]:
            answer = self.client.post("applications", "/institutions", institution.body(),
                                      f"institution:{institution.key}", accept={"duplicate_institution"})
            if answer.status == 409:  # registered earlier by someone else: the register is one per name
                return institution.key, self._institution_named(institution)
            return institution.key, answer.body["id"]

        self.result.institutions.update(self._each("Instytucje", data.INSTITUTIONS, register))

    def _institution_named(self, institution: data.Institution) -> str:
        wanted = " ".join(institution.name.split()).casefold()
        for row in self.client.get("applications", "/institutions", district=institution.district):
            if " ".join(row["name"].split()).casefold() == wanted:
                return row["id"]
        raise DemoFailed(f"Nie znalazłem instytucji „{institution.name}” ({institution.district}).")

    def _partnerships(self) -> None:
        ids = self.result.institutions

        def propose(proposal: data.Proposal) -> tuple[str, str]:
            body = {
                "edition_id": self.result.editions[proposal.edition],
                "title": proposal.title,
                "lead_institution_id": ids[proposal.members[0]],
                "institution_ids": [ids[m] for m in proposal.members],
                "requested_amount": f"{proposal.requested:.2f}",
            }
            answer = self.client.post("applications", "/partnerships", body, f"partnership:{proposal.key}")
            return proposal.key, answer.body["id"]

        self.result.partnerships.update(self._each("Wnioski partnerstw", data.PROPOSALS, propose))

    def _enrolments(self) -> None:
        work = [(edition, institution) for edition, institutions in data.ENROLMENTS.items() for institution in institutions]

        def enrol(item: tuple[str, str]) -> tuple[tuple[str, str], None]:
            edition, institution = item
            self.client.post("applications", f"/editions/{self.result.editions[edition]}/enrolments",
                             {"institution_id": self.result.institutions[institution]},
                             f"enrolment:{edition}:{institution}", accept={"already_enrolled"})
            return item, None

        self._each("Zgłoszenia bibliotek", work, enrol)

    def _mal_checks_and_withdrawals(self) -> None:
        work = [p for p in data.PROPOSALS if p.mal or p.outcome == "withdrawn"]

        def act(proposal: data.Proposal) -> tuple[str, None]:
            partnership = self.result.partnerships[proposal.key]
            if proposal.outcome == "withdrawn":
                self.client.post("applications", f"/partnerships/{partnership}/withdraw", {"reason": proposal.reason},
                                 f"withdraw:{proposal.key}")
            else:
                body = {"verified": proposal.mal_verified, "institution_id": self.result.institutions[proposal.mal]}
                if not proposal.mal_verified:
                    body["reason"] = proposal.mal_reason
                self.client.post("applications", f"/partnerships/{partnership}/mal-verification", body,
                                 f"mal:{proposal.key}", accept={"mal_already_verified"})
            return proposal.key, None

        self._each("MAL i wycofania", work, act)

    def _decisions(self) -> None:
        """Grants and rejections, each once the funding service has learnt what it needs."""
        pending = {p.key: p for p in data.PROPOSALS if p.outcome in ("granted", "rejected")}
        editions = sorted({p.edition for p in pending.values()})
        futures: list[concurrent.futures.Future] = []
        deadline = time.monotonic() + WAIT_FOR_EVENTS_S
        with self._bar("Decyzje o dofinansowaniu", len(pending)) as bar:
            while pending:
                for edition in editions:
                    cases = {c["partnership_id"]: c for c in self.client.get(
                        "funding", "/cases", edition_id=self.result.editions[edition])}
                    for key, proposal in list(pending.items()):
                        case = cases.get(self.result.partnerships[key])
                        if case is not None and _ready(case, proposal):
                            futures.append(self.pool.submit(self._decide, proposal))
                            del pending[key]
                for future in [f for f in futures if f.done()]:
                    future.result()
                    futures.remove(future)
                    bar.update()
                if pending:
                    if time.monotonic() > deadline:
                        titles = ", ".join(p.title for p in pending.values())
                        raise DemoFailed(f"Usługa dofinansowania nie zna jeszcze spraw: {titles}. "
                                         "Czy działa jej worker (ochotnicy worker funding)?")
                    time.sleep(0.25)
            for future in concurrent.futures.as_completed(futures):
                future.result()
                bar.update()

    def _decide(self, proposal: data.Proposal) -> None:
        partnership = self.result.partnerships[proposal.key]
        if proposal.outcome == "granted":
            self.client.post("funding", f"/cases/{partnership}/grant", {"amount": f"{proposal.granted:.2f}"},
                             f"grant:{proposal.key}")
        else:
            self.client.post("funding", f"/cases/{partnership}/reject", {"reason": proposal.reason},
                             f"reject:{proposal.key}")

    def _volunteers(self) -> None:
        def register(volunteer: data.Volunteer) -> tuple[str, str]:
            answer = self.client.post("volunteers", "/volunteers", volunteer.body(), f"volunteer:{volunteer.key}")
            return volunteer.key, answer.body["id"]

        self.result.volunteers.update(self._each("Wolontariusze", data.VOLUNTEERS, register))

    def _memberships(self) -> None:
        deadline = time.monotonic() + WAIT_FOR_EVENTS_S

        def join(membership: data.Membership) -> tuple[str, str]:
            body = {
                "institution_id": self.result.institutions[membership.institution],
                "edition_id": self.result.editions[membership.edition],
                "joined_on": membership.joined_on.isoformat(),
            }
            path = f"/volunteers/{self.result.volunteers[membership.volunteer]}/memberships"
            attempt = 1
            while True:
                # A "wait a moment" answer is recorded against its key, so each try has a key of its own;
                # a later run replays the same tries and ends on the same membership.
                answer = self.client.call("POST", "volunteers", path, body,
                                          key=f"demo-{data.VERSION}:join:{membership.key}:{attempt}")
                if answer.status == 201:
                    return membership.key, answer.body["id"]
                if answer.status != 422 or answer.rule not in _NOT_YET:
                    raise DemoFailed(f"POST volunteers {path}: {answer.status} {answer.message}")
                if time.monotonic() > deadline:
                    raise DemoFailed(f"Usługa wolontariuszy wciąż nie zna miejsca: {answer.message}")
                attempt += 1
                if not answer.replayed:
                    time.sleep(RETRY_PAUSE_S)

        self.result.memberships.update(self._each("Członkostwa", data.MEMBERSHIPS, join))

    def _leaves(self) -> None:
        work = [m for m in data.MEMBERSHIPS if m.left_on is not None]

        def leave(membership: data.Membership) -> tuple[str, None]:
            volunteer, joined = self.result.volunteers[membership.volunteer], self.result.memberships[membership.key]
            self.client.post("volunteers", f"/volunteers/{volunteer}/memberships/{joined}/leave",
                             {"left_on": membership.left_on.isoformat()}, f"leave:{membership.key}",
                             accept={"already_left"})
            return membership.key, None

        self._each("Odejścia", work, leave)

    def _close(self) -> None:
        # Last, so that closed editions mean a complete load (the past editions are closed anyway).
        for edition in data.EDITIONS:
            self.client.post("applications", f"/editions/{self.result.editions[edition.key]}/close", None,
                             f"close:{edition.key}", accept={"edition_closed"})

    # -- the end ------------------------------------------------------------------------------
    def wait_for_summaries(self, timeout: float = 90.0) -> bool:
        """Waits until the reporting service shows what the data implies; False if it did not in time."""
        expected = data.expected()
        deadline = time.monotonic() + timeout
        while True:
            self.result.summaries = {}
            for key, edition_id in self.result.editions.items():
                answer = self.client.call("GET", "reporting", f"/editions/{edition_id}/summary")
                if answer.status == 200:
                    self.result.summaries[key] = answer.body
            if all(_shows(self.result.summaries.get(key), figures) for key, figures in expected.items()):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)

    def _report(self) -> None:
        if "reporting" not in self.settings.service_urls or not self.wait_for_summaries():
            self._say(f"Dane demonstracyjne wczytane ({self.result.seconds:.0f} s); "
                      "podsumowania jeszcze się budują.")
            return
        lines = [f"Dane demonstracyjne wczytane ({self.result.seconds:.0f} s):"]
        for edition in data.EDITIONS:
            s = self.result.summaries[edition.key]
            if edition.kind == "partnership":
                detail = (f"wnioski {s['partnerships']['proposed']}, dofinansowane {s['partnerships']['funded']} "
                          f"({pln(Decimal(s['funding']['granted_total']))})")
                if edition.mal_required:
                    detail += f", MAL zweryfikowany: {s['partnerships']['mal_verified']}"
            else:
                detail = (f"biblioteki {s['institutions']['count']}, wolontariusze {s['volunteers']['joined']} "
                          f"(nadal aktywni {s['volunteers']['active']})")
            lines.append(f"  {edition.name}: {detail}")
        lines.append(f"  Podsumowania: {self.settings.service_urls['reporting']}/editions")
        self._say("\n".join(lines))

    # -- helpers ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _bar(self, what: str, total: int) -> tqdm:
        size = shutil.get_terminal_size((100, 24))  # a terminal that says 0 × 0 gets the fallback
        return tqdm(total=total, desc=f"  {what}", unit="", file=self.out, disable=self.progress_off,
                    ncols=min(size.columns, 100), nrows=size.lines,
                    leave=True, mininterval=0.3, bar_format="{desc:<28} {bar:30} {n_fmt}/{total_fmt} [{elapsed}]")

    def _each(self, what: str, items: Iterable, work: Callable[[Any], tuple[Any, Any]]) -> dict:
        items = list(items)
        results = {}
        with self._bar(what, len(items)) as bar:
            futures = [self.pool.submit(work, item) for item in items]
            try:
                for future in concurrent.futures.as_completed(futures):
                    key, value = future.result()
                    results[key] = value
                    bar.update()
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return results


def _ready(case: dict, proposal: data.Proposal) -> bool:
    """Whether the funding service has learnt enough to decide as staff did."""
    if proposal.outcome == "granted":
        return bool(case["eligible"]) or case["status"] == "granted"
    if case["status"] == "rejected":
        return True
    return case["status"] == "open" and (proposal.mal is None or proposal.mal_verified or case["mal_status"] == "failed")


def _shows(summary: dict | None, figures: dict) -> bool:
    return (
        summary is not None
        and summary["partnerships"] == figures["partnerships"]
        and summary["funding"] == figures["funding"]
        and summary["institutions"]["count"] == figures["institutions"]["count"]
        and summary["volunteers"] == figures["volunteers"]
    )


def load(settings: config.Settings, force: bool = False, out: TextIO | None = None,
         progress: bool | None = None) -> Result:
    """Loads the demo (or, unless `force`, nothing when it is already complete)."""
    return Loader(settings, out, progress).load(force=force)


def load_once(settings: config.Settings) -> Result | None:
    """For `make run`: loads the demo on the first start; never brings the stack down."""
    try:
        return load(settings)
    except Exception as exc:  # noqa: BLE001 - the stack runs on; the message says how to retry
        print(f"Nie udało się wczytać danych demonstracyjnych: {exc}\n"
              "Stos działa dalej; spróbuj ponownie: .venv/bin/ochotnicy demo", file=sys.stderr, flush=True)
        return None
