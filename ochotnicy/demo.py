"""Loads the demonstration data (`ochotnicy.demo_data`) through the services' public HTTP APIs.

It acts as staff would: a token of its own (subject `demo`), one request per action, and every
POST carries an Idempotency-Key derived from what it creates. A second run, or a run after an
interruption, therefore adds nothing twice: the services answer a repeated key with their first
answer (the same ids). A run first looks whether the demo editions exist and are closed (the last
step), and then does nothing at all, unless the volunteers' part lacks its last step: a data/ loaded before the demo
had hours and paperwork gets them then (the rest is replayed, adding nothing).

Cross-service knowledge travels by events, so the loader waits where staff would wait: it grants
funding once the funding service shows the case eligible, sees a grant taken back after its
partnership withdrew before going on, and retries a volunteer's membership (with a new key) while
the volunteers service still answers "wait a moment". The steps of each service are beside it:
`demo_funding`, `demo_people`, `demo_approvals` (the volunteers' hours), `demo_trainers` (the library editions'
course), and `demo_report` for the summaries the load ends with.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import shutil
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from tqdm import tqdm

from infra import config
from ochotnicy import demo_approvals, demo_funding, demo_people, demo_report, demo_trainers
from ochotnicy import demo_data as data
from ochotnicy.demo_client import Client, DemoFailed

WORKERS = 6


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
    trainings: dict[str, str] = dataclasses.field(default_factory=dict)
    hours: dict[str, str] = dataclasses.field(default_factory=dict)
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
        """The demo editions already in the applications service, by the demo data's keys (none of an earlier demo's)."""
        by_name = {}
        for edition in self.client.get("applications", "/editions"):
            by_name.setdefault(edition["name"], edition)
        replaced = [name for name in data.REPLACED if name in by_name]
        if replaced:
            # This version's Idempotency-Keys are new to it: loading would open every edition again beside the earlier ones.
            raise DemoFailed(f"Tu są już dane wcześniejszej wersji demonstracji (edycja „{replaced[0]}”, dziś dwie "
                             "osobne edycje). Usuń katalog data/ i uruchom ponownie, aby wczytać obecną.")
        return {e.key: by_name[e.name] for e in data.EDITIONS if e.name in by_name}

    def complete(self) -> bool:
        existing = self.existing_editions()
        done = len(existing) == len(data.EDITIONS) and all(e["status"] == "closed" for e in existing.values())
        if done:
            self.result.editions = {key: e["id"] for key, e in existing.items()}
        return done and demo_people.complete(self)

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
            self.say("Dane demonstracyjne są już wczytane – nic nie dodaję (ponownie: ochotnicy demo --force).")
            return self.result
        self.say("Wczytuję dane demonstracyjne (edycje 2017–2022) przez API usług…")
        with concurrent.futures.ThreadPoolExecutor(WORKERS, thread_name_prefix="demo") as self.pool:
            self._editions()
            self._institutions()
            self._partnerships()
            self._enrolments()
            self._mal_checks_and_withdrawals()
            demo_funding.decide(self)
            demo_funding.withdraw_after_grants(self)
            demo_funding.settle(self)
            demo_people.register(self)
            demo_people.join(self)
            demo_people.leave(self)
            demo_people.record_agreements(self)
            # Before the course: nothing of an edition reaches a library after it withdrew, its volunteers' hours too.
            demo_approvals.record(self)
            demo_people.rectify(self)
            demo_trainers.record(self)
            self._close()
        self.result.seconds = time.monotonic() - started
        demo_report.report(self)
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

        self.result.institutions.update(self.each("Instytucje", data.INSTITUTIONS, register))

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

        self.result.partnerships.update(self.each("Wnioski partnerstw", data.PROPOSALS, propose))

    def _enrolments(self) -> None:
        work = [(edition, institution) for edition, institutions in data.ENROLMENTS.items() for institution in institutions]

        def enrol(item: tuple[str, str]) -> tuple[tuple[str, str], None]:
            edition, institution = item
            self.client.post("applications", f"/editions/{self.result.editions[edition]}/enrolments",
                             {"institution_id": self.result.institutions[institution]},
                             f"enrolment:{edition}:{institution}", accept={"already_enrolled"})
            return item, None

        self.each("Zgłoszenia bibliotek", work, enrol)

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

        self.each("MAL i wycofania", work, act)

    def _close(self) -> None:
        # Last, so that closed editions mean a complete load (the past editions are closed anyway).
        for edition in data.EDITIONS:
            self.client.post("applications", f"/editions/{self.result.editions[edition.key]}/close", None,
                             f"close:{edition.key}", accept={"edition_closed"})

    # -- helpers ------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def bar(self, what: str, total: int) -> tqdm:
        size = shutil.get_terminal_size((100, 24))  # a terminal that says 0 × 0 gets the fallback
        return tqdm(total=total, desc=f"  {what}", unit="", file=self.out, disable=self.progress_off,
                    ncols=min(size.columns, 100), nrows=size.lines,
                    leave=True, mininterval=0.3, bar_format="{desc:<28} {bar:30} {n_fmt}/{total_fmt} [{elapsed}]")

    def each(self, what: str, items: Iterable, work: Callable[[Any], tuple[Any, Any]]) -> dict:
        items = list(items)
        results = {}
        with self.bar(what, len(items)) as bar:
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
