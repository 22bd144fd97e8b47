"""The volunteers service's people in the load: registrations (some with a birth date, a few of minors), joinings with
and without paperwork, departures, erasures, paperwork mended and personal data rectified (each with the version just
read, and always a real change: one event, besides those a changed birth date records for the memberships it touches)."""

from __future__ import annotations

import datetime
import uuid

import requests

from services.volunteers.domain.paperwork import is_minor
from tests.support.recording import Recorder
from tests.support.world import World

JOINED = ("2019-03-01", "2021-10-01")
"""The days the load's volunteers join on (in a library edition, or a partnership's initiative)."""
LEFT = "2021-12-31"
ADULTS, MINORS = ("1958-04-17", "1987-11-02"), ("2002-06-15", "2005-01-20")
"""Birth dates: of adults, and of minors (on the first joining day only, and on both)."""
PAPERWORK = "MembershipPaperworkRecorded"
"""What a joining with paperwork (or of a minor) records besides, and a rectified birth date for each membership
whose volunteer it makes a minor on joining, or no longer one."""


class People:
    """What staff do with volunteers: register, join, leave, erase, mend paperwork and rectify personal data."""

    def __init__(self, recorder: Recorder, world: World) -> None:
        self.recorder = recorder
        self.world = world

    def _url(self, path: str) -> str:
        return f"{self.recorder.urls['volunteers']}/api/v1{path}"

    def register_volunteer(self, session, rng):
        tag = uuid.uuid4().hex[:10]
        person = {"first_name": f"Zofia{tag}", "last_name": f"Wiśniewska{tag}", "email": f"zofia.{tag}@przyklad.waw.pl",
                  "phone": f"+48 6{rng.randrange(10, 99)} {tag[:3].translate(_DIGITS)} {tag[3:6].translate(_DIGITS)}"}
        with self.world.lock:
            self.world.personal += [person["first_name"], person["last_name"], person["email"], person["phone"]]
        if rng.random() < 0.4:
            person["birth_date"] = rng.choice(ADULTS + MINORS)
        command = self.recorder.send(session, "volunteers", "POST", "/api/v1/volunteers", person,
                                     action="register_volunteer", event_types=("VolunteerRegistered",))
        if command.ok:
            with self.world.lock:
                self.world.volunteers.append(command.json()["id"])
                if person.get("birth_date") in MINORS:  # joins with the guardian's consent
                    self.world.minors.add(command.json()["id"])
        return command

    def join(self, session, rng):
        volunteer = self.world.pick(rng, self.world.volunteers)
        if volunteer is None:
            return None
        partnership = self.world.pick(rng, self.world.partnerships.values(), lambda p: p.status == "proposed")
        if partnership is not None and rng.random() < 0.4:
            body = {"institution_id": rng.choice(partnership.institution_ids), "edition_id": partnership.edition_id,
                    "partnership_id": partnership.id, "joined_on": JOINED[1]}
        else:
            # Mostly where the institution is enrolled; now and then anywhere, which is refused (or "wait a moment").
            if self.world.enrolments and rng.random() < 0.8:
                edition_id, institution = self.world.pick(rng, self.world.enrolments)
            else:
                edition, institution = self.world.pick(rng, self.world.enrolment_editions()), self.world.pick(
                    rng, self.world.institutions)
                if edition is None or institution is None:
                    return None
                edition_id = edition["id"]
            body = {"institution_id": institution, "edition_id": edition_id, "joined_on": JOINED[0]}
        if volunteer in self.world.minors or rng.random() < 0.1:
            body["guardian_consent"] = True
        if rng.random() < 0.3:
            body["agreement_signed_on"] = body["joined_on"]
        if rng.random() < 0.2:
            body["accident_insurance"] = True
        command = self.recorder.send(session, "volunteers", "POST", f"/api/v1/volunteers/{volunteer}/memberships", body,
                                     action="join", aggregate_id=volunteer, event_types=("VolunteerJoined",),
                                     companions=(PAPERWORK,))
        if command.ok:
            with self.world.lock:
                self.world.memberships.append((volunteer, command.json()["id"]))
                self.world.joined[command.json()["id"]] = body["joined_on"]
        return command

    def leave(self, session, rng):
        with self.world.lock:
            if not self.world.memberships:
                return None
            volunteer, membership = self.world.memberships.pop(rng.randrange(len(self.world.memberships)))
        return self.recorder.send(session, "volunteers", "POST",
                                  f"/api/v1/volunteers/{volunteer}/memberships/{membership}/leave",
                                  {"left_on": LEFT}, action="leave", aggregate_id=volunteer,
                                  event_types=("VolunteerLeft",))

    def erase(self, session, rng):
        with self.world.lock:
            if len(self.world.volunteers) < 10:
                return None
            volunteer = self.world.volunteers.pop(rng.randrange(len(self.world.volunteers)))
            self.world.memberships = [m for m in self.world.memberships if m[0] != volunteer]
        return self.recorder.send(session, "volunteers", "DELETE", f"/api/v1/volunteers/{volunteer}",
                                  action="erase", aggregate_id=volunteer, event_types=("VolunteerErased",))

    def _read(self, session, rng) -> tuple[str, dict, str] | None:
        """A volunteer with memberships as just read, and the version to change it on (None in an outage or after an
        erasure: the change waits for another turn)."""
        with self.world.lock:
            volunteers = sorted({v for v, _ in self.world.memberships})
        volunteer = rng.choice(volunteers) if volunteers else None
        if volunteer is None:
            return None
        try:
            response = session.get(self._url(f"/volunteers/{volunteer}"), timeout=10)
        except requests.RequestException:
            return None
        current = response.json() if response.status_code == 200 else {}
        if current.get("erased", True) or not current["memberships"]:
            return None
        return volunteer, current, response.headers["ETag"]

    def mend_paperwork(self, session, rng):
        """A membership's paperwork mended: its insurance turned over (always a change), now and then the agreement's
        date, and a missing guardian's consent given."""
        found = self._read(session, rng)
        if found is None:
            return None
        volunteer, current, version = found
        membership = rng.choice(current["memberships"])
        body = {"accident_insurance": not membership["accident_insurance"]}
        if rng.random() < 0.5:
            joined = datetime.date.fromisoformat(membership["joined_on"])
            body["agreement_signed_on"] = (joined + datetime.timedelta(days=rng.randrange(0, 20))).isoformat()
        if membership["minor"] and not membership["guardian_consent"]:
            body["guardian_consent"] = True
        return self.recorder.send(session, "volunteers", "PATCH",
                                  f"/api/v1/volunteers/{volunteer}/memberships/{membership['id']}/paperwork", body,
                                  action="mend_paperwork", aggregate_id=volunteer, headers={"If-Match": version},
                                  event_types=(PAPERWORK,))

    def rectify(self, session, rng):
        """Personal data corrected: always a new surname, now and then a new e-mail or birth date, which records the
        paperwork anew for each membership whose volunteer it makes a minor on joining, or no longer one."""
        found = self._read(session, rng)
        if found is None:
            return None
        volunteer, current, version = found
        tag = uuid.uuid4().hex[:10]
        body = {"last_name": f"Nowicka{tag}"}
        if rng.random() < 0.3:
            body["email"] = f"zofia.{tag}@poprawiony.waw.pl"
        flipped = 0
        if rng.random() < 0.4:
            body["birth_date"] = rng.choice(ADULTS + MINORS)
            born = datetime.date.fromisoformat(body["birth_date"])
            flipped = sum(is_minor(born, datetime.date.fromisoformat(m["joined_on"])) != m["minor"]
                          for m in current["memberships"])
        with self.world.lock:
            self.world.personal += [v for k, v in body.items() if k != "birth_date"]
        command = self.recorder.send(session, "volunteers", "PATCH", f"/api/v1/volunteers/{volunteer}", body,
                                     action="rectify", aggregate_id=volunteer, headers={"If-Match": version},
                                     event_types=("VolunteerRectified",), companions=(PAPERWORK,) * flipped)
        if command.ok and body.get("birth_date") in MINORS:
            with self.world.lock:
                self.world.minors.add(volunteer)
        return command


_DIGITS = str.maketrans("abcdef", "123456")
