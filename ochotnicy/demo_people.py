"""The demo loader's steps in the volunteers service: the volunteers, their memberships and departures, the
agreements entered after joining, and a birth date corrected (the hours: `demo_approvals`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ochotnicy import demo_data as data
from ochotnicy.demo_client import WAIT_FOR_EVENTS_S, DemoFailed

if TYPE_CHECKING:
    from ochotnicy.demo import Loader

T = TypeVar("T")
RETRY_PAUSE_S = 0.5
_NOT_YET = {"unknown_edition", "unknown_institution", "unknown_partnership", "institution_not_in_edition"}  # "wait a moment"


def register(loader: Loader) -> None:
    def one(volunteer: data.Volunteer) -> tuple[str, str]:
        answer = loader.client.post("volunteers", "/volunteers", volunteer.body(), f"volunteer:{volunteer.key}")
        return volunteer.key, answer.body["id"]

    loader.result.volunteers.update(loader.each("Wolontariusze", data.VOLUNTEERS, one))


def join(loader: Loader) -> None:
    """Each membership, retried under a new key while the volunteers service does not know the place yet."""
    deadline = time.monotonic() + WAIT_FOR_EVENTS_S

    def one(membership: data.Membership) -> tuple[str, str]:
        body = {
            "institution_id": loader.result.institutions[membership.institution],
            "edition_id": loader.result.editions[membership.edition],
            "joined_on": membership.joined_on.isoformat(),
            **membership.paperwork(),
        }
        path = f"/volunteers/{loader.result.volunteers[membership.volunteer]}/memberships"
        attempt = 1
        while True:
            # A "wait a moment" answer is recorded against its key, so each try has a key of its own;
            # a later run replays the same tries and ends on the same membership.
            answer = loader.client.call("POST", "volunteers", path, body,
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

    loader.result.memberships.update(loader.each("Członkostwa", data.MEMBERSHIPS, one))


def leave(loader: Loader) -> None:
    def one(membership: data.Membership) -> tuple[str, None]:
        volunteer, joined = loader.result.volunteers[membership.volunteer], loader.result.memberships[membership.key]
        assert membership.left_on is not None
        loader.client.post("volunteers", f"/volunteers/{volunteer}/memberships/{joined}/leave",
                           {"left_on": membership.left_on.isoformat()}, f"leave:{membership.key}", accept={"already_left"})
        return membership.key, None

    loader.each("Odejścia", [m for m in data.MEMBERSHIPS if m.left_on is not None], one)


def each_volunteer(loader: Loader, what: str, items: Iterable[T], volunteer: Callable[[T], str],
                   work: Callable[[T], tuple[str, Any]]) -> dict[str, Any]:
    """`loader.each`, one volunteer's items one after another (they write on the volunteer's stream, where writes side by
    side would only be refused and tried again), volunteers side by side."""
    theirs: dict[str, list[T]] = {}
    for item in items:
        theirs.setdefault(volunteer(item), []).append(item)
    results: dict[str, Any] = {}
    for done in loader.each(what, theirs, lambda person: (person, dict(work(item) for item in theirs[person]))).values():
        results.update(done)
    return results


def record_agreements(loader: Loader) -> None:
    """The written agreements coordinators entered after their volunteers joined."""
    def one(agreement: data.Agreement) -> tuple[str, None]:
        membership = agreement.membership
        volunteer, joined = loader.result.volunteers[membership.volunteer], loader.result.memberships[membership.key]
        loader.client.patch("volunteers", f"/volunteers/{volunteer}/memberships/{joined}/paperwork",
                            {"agreement_signed_on": agreement.signed_on.isoformat()}, f"agreement:{membership.key}")
        return membership.key, None

    each_volunteer(loader, "Porozumienia", data.AGREEMENTS, lambda a: a.membership.volunteer, one)


def rectify(loader: Loader) -> None:
    """Birth dates corrected: the last step of the volunteers' part, which `complete` looks for."""
    for rectification in data.RECTIFICATIONS:
        loader.client.patch("volunteers", f"/volunteers/{loader.result.volunteers[rectification.volunteer]}",
                            {"birth_date": rectification.birth_date.isoformat()}, f"rectify:{rectification.volunteer}")


def complete(loader: Loader) -> bool:
    """Whether the volunteers' part is loaded to its last step, the birth date corrected (a data/ loaded before the
    demo had hours and paperwork is not). Read as the birth date itself: staff may well mend the consent it lacks."""
    last = data.RECTIFICATIONS[-1]
    email = next(v.email for v in data.VOLUNTEERS if v.key == last.volunteer)
    edition = next(m.edition for m in data.MEMBERSHIPS if m.volunteer == last.volunteer)
    people = loader.client.get("volunteers", "/volunteers", edition_id=loader.result.editions[edition], limit=1000)
    return any((row["email"], row["birth_date"]) == (email, last.birth_date.isoformat()) for row in people)
