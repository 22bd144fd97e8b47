"""The demo loader's steps in the funding service: decisions, grants that a withdrawal took back, final reports."""

from __future__ import annotations

import concurrent.futures
import time
from typing import TYPE_CHECKING

from ochotnicy import demo_data as data
from ochotnicy.demo_client import WAIT_FOR_EVENTS_S, DemoFailed

if TYPE_CHECKING:
    from ochotnicy.demo import Loader


def decide(loader: Loader) -> None:
    """Grants and rejections, each once the funding service has learnt what it needs."""
    pending = {p.key: p for p in data.PROPOSALS if p.grants or p.outcome == "rejected"}
    editions = sorted({p.edition for p in pending.values()})
    futures: list[concurrent.futures.Future] = []
    deadline = time.monotonic() + WAIT_FOR_EVENTS_S
    with loader.bar("Decyzje o dofinansowaniu", len(pending)) as bar:
        while pending:
            for edition in editions:
                cases = {c["partnership_id"]: c for c in loader.client.get(
                    "funding", "/cases", edition_id=loader.result.editions[edition])}
                for key, proposal in list(pending.items()):
                    case = cases.get(loader.result.partnerships[key])
                    if case is not None and _ready(case, proposal):
                        futures.append(loader.pool.submit(_decide, loader, proposal))
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


def _decide(loader: Loader, proposal: data.Proposal) -> None:
    partnership = loader.result.partnerships[proposal.key]
    if proposal.grants:
        loader.client.post("funding", f"/cases/{partnership}/grant", {"amount": f"{proposal.granted:.2f}"},
                           f"grant:{proposal.key}")
    else:
        loader.client.post("funding", f"/cases/{partnership}/reject", {"reason": proposal.reason},
                           f"reject:{proposal.key}")


def _ready(case: dict, proposal: data.Proposal) -> bool:
    """Whether the funding service has learnt enough to decide as staff did (or, on a later run, had decided)."""
    if proposal.grants:
        return bool(case["eligible"]) or case["status"] in ("granted", "revoked")
    if case["status"] == "rejected":
        return True
    return case["status"] == "open" and (proposal.mal is None or proposal.mal_verified or case["mal_status"] == "failed")


def withdraw_after_grants(loader: Loader) -> None:
    """Partnerships that withdrew after their grant, through the applications API, as staff record it; funding then
    takes the grant back by itself, which the loader waits to see (the case revoked)."""
    def withdraw(proposal: data.Proposal) -> tuple[str, None]:
        partnership = loader.result.partnerships[proposal.key]
        loader.client.post("applications", f"/partnerships/{partnership}/withdraw", {"reason": proposal.reason},
                           f"withdraw:{proposal.key}")
        deadline = time.monotonic() + WAIT_FOR_EVENTS_S
        while loader.client.get("funding", f"/cases/{partnership}")["status"] != "revoked":
            if time.monotonic() > deadline:
                raise DemoFailed(f"Usługa dofinansowania nie cofnęła jeszcze dofinansowania „{proposal.title}”. "
                                 "Czy działa jej worker (ochotnicy worker funding)?")
            time.sleep(0.25)
        return proposal.key, None

    loader.each("Wycofania po decyzji", [p for p in data.PROPOSALS if p.outcome == "revoked"], withdraw)


def settle(loader: Loader) -> None:
    """The final reports: each entered (a returned one first, with the reason it was returned) and accepted."""
    def reports(settlement: data.Settlement) -> tuple[str, None]:
        key = settlement.proposal
        path = f"/cases/{loader.result.partnerships[key]}/settlement"
        if settlement.returned is not None:
            returned, reason = settlement.returned
            loader.client.post("funding", path, returned.body(), f"settlement:{key}:1")
            loader.client.post("funding", f"{path}/return", {"reason": reason}, f"settlement-return:{key}:1")
        loader.client.post("funding", path, settlement.final.body(), f"settlement:{key}:{len(settlement.reports)}")
        loader.client.post("funding", f"{path}/accept", {}, f"settlement-accept:{key}")
        return key, None

    loader.each("Rozliczenia", data.SETTLEMENTS, reports)
