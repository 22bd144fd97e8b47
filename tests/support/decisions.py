"""Funding's commands in the load: decisions on cases, revocations, and the final reports of grants."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.support.recording import Command, Recorder
from tests.support.world import Partnership, World

SETTLING = ("", "returned")
"""A grant's settlement states in which a (new) final report may be submitted."""


class Decisions:
    """What staff decide in the funding service, on partnerships the clients know of."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world

    def _pick(self, rng, wanted: Callable[[Partnership], bool]) -> Partnership | None:
        with self.world.lock:
            found = [p for p in self.world.partnerships.values() if wanted(p)]
        return rng.choice(found) if found else None

    def _send(self, session, partnership: Partnership, step: str, body: dict, action: str, event: str,
              companions: tuple[str, ...] = (), deliberate: bool = False) -> Command:
        return self.recorder.send(session, "funding", "POST", f"/api/v1/cases/{partnership.id}/{step}", body,
                                  action=action, aggregate_id=partnership.id, event_types=(event,),
                                  companions=companions, deliberate=deliberate)

    # -- decisions -------------------------------------------------------------
    def _decidable(self, rng) -> Partnership | None:
        return self._pick(rng, lambda p: p.status == "proposed" and not p.decided and p.mal in ("verified", "n/a")
                          and time.monotonic() - p.proposed_at > 0.5)

    def grant(self, session, rng):
        partnership = self._decidable(rng)
        if partnership is None:
            return None
        amount = rng.randrange(500, partnership.requested + 1, 100)
        command = self._send(session, partnership, "grant", {"amount": f"{amount}.00"}, "grant", "FundingGranted",
                             companions=("BudgetCommitted",))
        if command.ok or (command.json() or {}).get("rule") == "already_decided":
            with self.world.lock:
                partnership.decided = True
                if command.ok:
                    partnership.granted, partnership.granted_amount = True, amount
        return command

    def reject(self, session, rng):
        partnership = self._decidable(rng)
        if partnership is None:
            return None
        command = self._send(session, partnership, "reject", {"reason": "Wyczerpany budżet na ten cel"}, "reject",
                             "FundingRejected")
        if command.ok or (command.json() or {}).get("rule") == "already_decided":
            with self.world.lock:
                partnership.decided = True
        return command

    def revoke(self, session, rng):
        partnership = self._pick(rng, lambda p: p.granted)
        if partnership is None:
            return None
        command = self._send(session, partnership, "revoke", {"reason": "Partnerstwo nie realizuje projektu"}, "revoke",
                             "FundingRevoked", companions=("BudgetReleased",))
        if command.ok:
            with self.world.lock:
                partnership.granted = False
        return command

    # -- settlement ------------------------------------------------------------
    def submit_settlement(self, session, rng):
        """A final report; now and then one spending more than was granted, which is refused (422)."""
        partnership = self._pick(rng, lambda p: p.granted and p.settlement in SETTLING)
        if partnership is None:
            return None
        over = rng.random() < 0.1
        spent = partnership.granted_amount + 100 if over else rng.randrange(0, partnership.granted_amount + 1, 10)
        body = {"spent_amount": f"{spent}.00", "volunteers_engaged": rng.randrange(1, 40),
                "hours": f"{rng.randrange(10, 800)}.5", "submitted_on": "2022-01-14"}
        command = self._send(session, partnership, "settlement", body, "submit_settlement", "SettlementSubmitted",
                             deliberate=over)
        if command.ok:
            with self.world.lock:
                partnership.settlement = "submitted"
        return command

    def _on_report(self, session, rng, step: str, body: dict, action: str, event: str, then: str):
        """Staff's decision on a report awaiting one; `then` is the report's state after a 2xx."""
        partnership = self._pick(rng, lambda p: p.granted and p.settlement == "submitted")
        if partnership is None:
            return None
        command = self._send(session, partnership, step, body, action, event)
        if command.ok:
            with self.world.lock:
                partnership.settlement = then
                partnership.granted = then != "settled"  # a settled grant is closed: nothing more to revoke
        return command

    def return_settlement(self, session, rng):
        return self._on_report(session, rng, "settlement/return", {"reason": "Brak faktur za materiały"},
                               "return_settlement", "SettlementReturned", "returned")

    def accept_settlement(self, session, rng):
        return self._on_report(session, rng, "settlement/accept", {}, "accept_settlement", "FundingSettled", "settled")
