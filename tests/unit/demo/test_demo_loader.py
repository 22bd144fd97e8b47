"""The loader's waiting for other services, against a fake that answers as the services do."""

from __future__ import annotations

import concurrent.futures
import datetime
import threading

import pytest

from infra import config
from ochotnicy import demo, demo_client, demo_funding, demo_people
from ochotnicy import demo_data as data


class Volunteers:
    """Answers a join "wait a moment" (422, recorded against its key) until it has learnt of the place;
    a repeated key gets the first answer again, as Idempotency-Key promises."""

    def __init__(self, not_yet: int, rule: str = "unknown_institution") -> None:
        self.not_yet, self.rule = not_yet, rule
        self.answers: dict[str, demo_client.Answer] = {}
        self.executed: list[str] = []
        self._lock = threading.Lock()

    def call(self, method, service, path, body=None, key=None, query=None) -> demo_client.Answer:
        with self._lock:
            if key in self.answers:
                first = self.answers[key]
                return demo_client.Answer(first.status, first.body, True)
            self.executed.append(key)
            if len(self.executed) <= self.not_yet:
                answer = demo_client.Answer(422, {"message": "Nieznana instytucja … poczekaj chwilę", "rule": self.rule}, False)
            else:
                answer = demo_client.Answer(201, {"id": f"membership-{len(self.executed)}"}, False)
            self.answers[key] = answer
            return answer


def _loader(fake: Volunteers, monkeypatch) -> demo.Loader:
    membership = data.Membership("v001", "lib-bemowo-52", data.LIBRARIES_2017, datetime.date(2017, 4, 3))
    monkeypatch.setattr(data, "MEMBERSHIPS", (membership,))
    monkeypatch.setattr(demo_people, "RETRY_PAUSE_S", 0)
    loader = demo.Loader(config.load("cli", {}), progress=False)
    loader.client = fake
    loader.result.institutions = {"lib-bemowo-52": "i1"}
    loader.result.editions = {data.LIBRARIES_2017: "e1"}
    loader.result.volunteers = {"v001": "p1"}
    return loader


def _join(loader: demo.Loader) -> dict[str, str]:
    with concurrent.futures.ThreadPoolExecutor(1) as loader.pool:
        demo_people.join(loader)
    return loader.result.memberships


def test_a_join_the_volunteers_service_cannot_place_yet_is_retried_under_new_keys_and_replays_the_same_way(monkeypatch):
    fake = Volunteers(not_yet=2)
    first = dict(_join(_loader(fake, monkeypatch)))

    key = f"demo-{data.VERSION}:join:v001:{data.LIBRARIES_2017}:lib-bemowo-52"
    assert fake.executed == [f"{key}:1", f"{key}:2", f"{key}:3"]
    assert first == {f"v001:{data.LIBRARIES_2017}:lib-bemowo-52": "membership-3"}

    assert _join(_loader(fake, monkeypatch)) == first  # a second run: the same membership, nothing executed
    assert len(fake.executed) == 3


def test_a_join_refused_for_another_reason_stops_the_load(monkeypatch):
    with pytest.raises(demo.DemoFailed, match="422"):
        _join(_loader(Volunteers(not_yet=1, rule="already_member"), monkeypatch))


@pytest.mark.parametrize(
    ("outcome", "case", "ready"),
    [
        ("granted", {"eligible": False, "status": "open", "mal_status": "pending"}, False),
        ("granted", {"eligible": True, "status": "open", "mal_status": "verified"}, True),
        ("granted", {"eligible": False, "status": "granted", "mal_status": "verified"}, True),  # a second run
        ("revoked", {"eligible": True, "status": "open", "mal_status": "n/a"}, True),
        ("revoked", {"eligible": False, "status": "revoked", "mal_status": "n/a"}, True),  # a second run: taken back
        ("revoked", {"eligible": False, "status": "open", "mal_status": "n/a"}, False),
        ("rejected", {"eligible": False, "status": "open", "mal_status": "pending"}, False),
        ("rejected", {"eligible": False, "status": "open", "mal_status": "failed"}, True),
        ("rejected", {"eligible": False, "status": "rejected", "mal_status": "failed"}, True),
    ],
)
def test_a_decision_waits_until_the_funding_service_knows_what_staff_knew(outcome, case, ready):
    proposal = next(p for p in data.PROPOSALS if p.edition in (data.AUTUMN, data.SPRING_2022) and p.outcome == outcome)
    assert demo_funding._ready(case, proposal) is ready


class Applications:
    """Lists the editions an earlier version of the demo loaded."""

    def get(self, service, path, **query):
        return [{"id": "e1", "name": data.REPLACED[0], "status": "closed"}]


def test_a_service_holding_an_earlier_demos_merged_edition_is_left_as_it_is_with_what_to_do(monkeypatch):
    loader = demo.Loader(config.load("cli", {}), progress=False)
    loader.client = Applications()
    monkeypatch.setattr(loader, "check_up", lambda: None)
    with pytest.raises(demo.DemoFailed, match="Usuń katalog data/"):
        loader.load()


class Loaded:
    """Every demo edition closed; the volunteers of an edition as `people` says."""

    def __init__(self, people: list[dict]) -> None:
        self.people = people

    def get(self, service, path, **query):
        if service == "applications":
            return [{"id": e.key, "name": e.name, "status": "closed"} for e in data.EDITIONS]
        assert (path, query["edition_id"]) == ("/volunteers", data.LIBRARIES_2019)
        return self.people


@pytest.mark.parametrize(("born", "complete"), [(None, False), ("registered", False), ("corrected", True)])
def test_a_data_folder_loaded_before_the_hours_and_the_paperwork_is_loaded_again_to_get_them(born, complete):
    """Its editions are closed, but until the volunteers' last step (a birth date corrected) is there, it is not done."""
    [corrected] = data.RECTIFICATIONS
    [person] = [v for v in data.VOLUNTEERS if v.key == corrected.volunteer]
    days = {"registered": person.birth_date, "corrected": corrected.birth_date}
    people = [] if born is None else [{"email": person.email, "birth_date": days[born].isoformat()}]
    loader = demo.Loader(config.load("cli", {}), progress=False)
    loader.client = Loaded([{"email": "ktos.inny@example.org", "birth_date": None}, *people])
    assert loader.complete() is complete


def test_make_run_goes_on_when_the_services_do_not_answer(capsys):
    nowhere = {f"OCHOTNICY_{s.upper()}_URL": "http://127.0.0.1:9" for s in config.SERVICES}
    assert demo.load_once(config.load("cli", nowhere)) is None
    message = capsys.readouterr().err
    assert "Nie odpowiadają: applications" in message and "ochotnicy demo" in message
