"""The demo loader's steps of the volunteers' monthly hours: each entry recorded, then approved, declined with its
reason (the month entered again), or left waiting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ochotnicy import demo_data as data
from ochotnicy.demo_people import each_volunteer

if TYPE_CHECKING:
    from ochotnicy.demo import Loader


def record(loader: Loader) -> None:
    def one(entry: data.Hours) -> tuple[str, str]:
        person = loader.result.volunteers[entry.membership.volunteer]
        membership = loader.result.memberships[entry.membership.key]
        answer = loader.client.post("volunteers", f"/volunteers/{person}/memberships/{membership}/hours", entry.body(),
                                    f"hours:{entry.key}")
        decided = f"/volunteers/{person}/hours/{answer.body['id']}"
        if entry.decision == "approved":
            loader.client.post("volunteers", f"{decided}/approve", {}, f"approve:{entry.key}")
        elif entry.decision == "declined":
            loader.client.post("volunteers", f"{decided}/decline", {"reason": entry.reason}, f"decline:{entry.key}")
        return entry.key, answer.body["id"]

    loader.result.hours.update(each_volunteer(loader, "Godziny wolontariuszy", data.HOURS,
                                              lambda entry: entry.membership.volunteer, one))
