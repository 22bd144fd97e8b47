"""Auditors on a populated stack: replay equals live, corruption and tampering are caught, stories told."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text, update

from contracts import PUBLIC
from infra.eventstore.records import NewEvent
from infra.eventstore.sql import SqlEventStore
from infra.eventstore.tables import events, outbox
from infra.polish import count
from ochotnicy import audit
from tests.support.stack import token
from tests.support.waiting import wait_until

SERVICES = ("applications", "funding", "volunteers", "reporting")
CAPS = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
        {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]


def populate(stack) -> dict:
    """A small but complete history: every kind of event of every service."""
    staff = stack.session("applications:write", "funding:write", "volunteers:write", subject="anna.nowak")
    apps, funding, people = (f"{stack.url(s)}/api/v1" for s in ("applications", "funding", "volunteers"))
    edition = staff.post(f"{apps}/editions", json={
        "programme": "partnerships", "name": "Partnerstwa 2021 – tura jesienna", "year": 2021, "round": "autumn",
        "kind": "partnership", "mal_required": True, "opens_on": "2021-09-01", "closes_on": "2021-10-31",
        "budget": "20000.00", "grant_caps": CAPS}).json()
    libraries = staff.post(f"{apps}/editions", json={
        "programme": "libraries", "name": "Rozwój wolontariatu w bibliotekach 2019", "year": 2019, "kind": "enrolment",
        "opens_on": "2019-01-01", "closes_on": "2019-12-31"}).json()
    names = [("Dom Kultury „Włochy”", "culture_house"), ("Biblioteka Publiczna Dzielnicy Włochy", "library"),
             ("MAL SURMA – Ośrodek Pomocy Społecznej", "mal"), ("Szkoła Podstawowa nr 1", "school")]
    ids = [staff.post(f"{apps}/institutions", json={"name": n, "kind": k, "district": "Włochy"}).json()["id"] for n, k in names]
    funded = staff.post(f"{apps}/partnerships", json={
        "edition_id": edition["id"], "title": "Włochy razem", "lead_institution_id": ids[0],
        "institution_ids": ids[:3], "requested_amount": "6000.00"}).json()
    refused = staff.post(f"{apps}/partnerships", json={
        "edition_id": edition["id"], "title": "Cztery domy", "lead_institution_id": ids[3],
        "institution_ids": ids, "requested_amount": "9000.00"}).json()
    staff.post(f"{apps}/partnerships/{funded['id']}/mal-verification", json={"verified": True, "institution_id": ids[2]})
    staff.post(f"{apps}/partnerships/{refused['id']}/mal-verification",
               json={"verified": False, "institution_id": ids[2], "reason": "MAL nie potwierdził udziału"})
    staff.post(f"{apps}/editions/{libraries['id']}/enrolments", json={"institution_id": ids[1]})
    case = f"{funding}/cases/{funded['id']}"
    wait_until(lambda: (r := staff.get(case)).status_code == 200 and r.json()["eligible"], what="an eligible case")
    assert staff.post(f"{case}/grant", json={"amount": "5500.00"}).status_code == 201
    wait_until(lambda: staff.get(f"{funding}/cases/{refused['id']}").status_code == 200, what="the second case")
    assert staff.post(f"{funding}/cases/{refused['id']}/reject", json={"reason": "Brak MAL"}).status_code == 201
    volunteers = []
    for first, last in (("Jan", "Kowalski"), ("Zofia", "Wiśniewska")):
        volunteer = staff.post(f"{people}/volunteers", json={
            "first_name": first, "last_name": last, "email": f"{first.lower()}.{uuid.uuid4().hex[:6]}@example.pl"}).json()

        def joined(v=volunteer):
            return staff.post(f"{people}/volunteers/{v['id']}/memberships", json={
                "institution_id": ids[1], "edition_id": libraries["id"], "joined_on": "2019-03-01"})

        membership = wait_until(lambda: (r := joined()).status_code == 201 and r.json(), what="the volunteer to join")
        volunteers.append((volunteer, membership))
    (erased, membership), _ = volunteers
    staff.post(f"{people}/volunteers/{erased['id']}/memberships/{membership['id']}/leave", json={"left_on": "2019-06-30"})
    assert staff.delete(f"{people}/volunteers/{erased['id']}").status_code == 204
    return {"edition": edition, "libraries": libraries, "funded": funded, "refused": refused,
            "erased": erased, "kept": volunteers[1][0], "staff": staff}


def settled(stack, world) -> bool:
    """Every outbox published and sealed; reporting has seen the last facts."""
    for service in ("applications", "funding", "volunteers"):
        engine = create_engine(stack.database_urls[service])
        with engine.connect() as connection:
            pending = connection.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar()
            unsealed = connection.execute(select(func.count()).select_from(events).where(events.c.chain_seq.is_(None))).scalar()
        engine.dispose()
        if pending or unsealed:
            return False
    staff, reporting = world["staff"], f"{stack.url('reporting')}/api/v1/editions"
    answers = [staff.get(f"{reporting}/{world[name]['id']}/summary") for name in ("edition", "libraries")]
    if any(a.status_code == 404 for a in answers):
        return False  # published, but reporting has not applied the edition yet
    summary, libraries = (a.json() for a in answers)
    return summary["partnerships"]["funded"] == 1 and summary["partnerships"]["rejected"] == 1 and \
        {k: libraries["volunteers"][k] for k in ("joined", "active")} == {"joined": 2, "active": 1}


@pytest.fixture(scope="module")
def world(databases, broker, tmp_path_factory):
    from tests.support.live import LiveStack

    with LiveStack(SERVICES, databases, broker.bootstrap, tmp_path_factory.mktemp("audit")) as stack:
        world = populate(stack)
        wait_until(lambda: settled(stack, world), timeout=180, what="the stack to settle")
        yield stack, world


def replay(stack) -> tuple[list, str]:
    out = io.StringIO()
    outcomes = audit.replay_services(SERVICES, out=out, environ=stack.environment())
    return outcomes, out.getvalue()


def test_replaying_the_log_rebuilds_every_read_model_exactly(world):
    stack, _ = world
    outcomes, printed = replay(stack)
    assert [o.service for o in outcomes] == list(SERVICES)
    assert all(o.ok for o in outcomes), printed
    assert all(o.events > 0 for o in outcomes)
    assert "zdarzeń/s" in printed and "bieżący model odczytu zgadza się z odtworzonym" in printed
    funding = next(o for o in outcomes if o.service == "funding")
    assert funding.checked >= 1 and all(o.checked is None for o in outcomes if o.service != "funding")
    decisions = count(funding.checked, "decyzja", "decyzje", "decyzji")
    assert f"ponownie sprawdzone decyzje o dofinansowaniu: {decisions}, każda zgodna z zasadami" in printed


def test_the_command_line_replay_exits_zero_when_all_agree(world):
    stack, _ = world
    done = subprocess.run([sys.executable, "-m", "ochotnicy.cli", "audit", "replay", "--service", "funding"],
                          env=stack.environment(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_chain_is_intact_and_the_stories_are_told(world):
    stack, world_ = world
    out = io.StringIO()
    assert audit.verify_services(out=out, environ=stack.environment()), out.getvalue()
    assert "applications: łańcuch nienaruszony" in out.getvalue()
    story = audit.history(world_["funded"]["id"], environ=stack.environment())
    assert [(e["service"], e["type"]) for e in story] == [
        ("applications", "PartnershipProposed"), ("applications", "MALVerified"), ("funding", "FundingGranted")]
    assert {e["actor"] for e in story} == {"anna.nowak"}
    erased = audit.history(world_["erased"]["id"], environ=stack.environment())
    registered = next(e for e in erased if e["type"] == "VolunteerRegistered")
    assert registered["data"]["first_name"] == "[usunięte]" and registered["data"]["email"] == "[usunięte]"
    assert erased[-1]["type"] == "VolunteerErased"
    kept = audit.history(world_["kept"]["id"], environ=stack.environment())
    assert kept[0]["data"]["first_name"] == "[dane osobowe]" and "Zofia" not in str(kept)
    opened = audit.history(world_["kept"]["id"], environ=stack.environment(), personal=True, actor="ewa.kontrola")
    assert opened[0]["data"]["first_name"] == "Zofia"
    log = world_["staff"].get(f"{stack.url('volunteers')}/api/v1/personal-data-access?volunteer_id={world_['kept']['id']}",
                              headers={"Authorization": f"Bearer {token('audit')}"}).json()
    assert (log[0]["actor"], log[0]["action"]) == ("ewa.kontrola", "history")
    printed = io.StringIO()
    audit.print_history(story, as_json=False, out=printed)
    assert "FundingGranted" in printed.getvalue() and "anna.nowak" in printed.getvalue()
    assert printed.getvalue().splitlines()[0].split() == ["wersja", "czas", "(UTC)", "usługa", "zdarzenie", "kto", "szczegóły"]


def test_the_command_line_shows_personal_data_only_to_a_token_of_volunteers_write(world):
    stack, world_ = world

    def history(*options, **env):
        return subprocess.run([sys.executable, "-m", "ochotnicy.cli", "audit", "history", world_["kept"]["id"], *options],
                              env=stack.environment() | env, capture_output=True, text=True, timeout=120)

    masked = history()
    assert masked.returncode == 0 and "first_name=[dane osobowe]" in masked.stdout and "Zofia" not in masked.stdout
    assert history("--personal").returncode == 2
    refused = history("--personal", "--token", token("audit"))
    assert refused.returncode == 2 and "volunteers:write" in refused.stderr and "Zofia" not in refused.stdout
    assert "Token odrzucony" in history("--personal", "--token", "nie.jest.tokenem").stderr
    shown = history("--personal", OCHOTNICY_TOKEN=token("volunteers:write", subject="jan.kontrola"))
    assert shown.returncode == 0 and "first_name=Zofia" in shown.stdout


def test_a_deliberately_corrupted_read_model_is_reported_in_plain_words(world):
    stack, world_ = world
    engine = create_engine(stack.database_urls["funding"])
    with engine.begin() as connection:
        original = connection.execute(text("SELECT requested_amount FROM cases WHERE id = :id"),
                                      {"id": world_["funded"]["id"]}).scalar()
        connection.execute(text("UPDATE cases SET requested_amount = 1 WHERE id = :id"), {"id": world_["funded"]["id"]})
    try:
        outcomes, printed = replay(stack)
        funding = next(o for o in outcomes if o.service == "funding")
        assert not funding.ok
        [difference] = funding.differences
        assert difference.table == "cases" and difference.column == "requested_amount"
        assert f"cases [{world_['funded']['id']}].requested_amount" in printed
        assert all(o.ok for o in outcomes if o.service != "funding")
        done = subprocess.run([sys.executable, "-m", "ochotnicy.cli", "audit", "replay", "--service", "funding"],
                              env=stack.environment(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "RÓŻNICA" in done.stdout
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE cases SET requested_amount = :v WHERE id = :id"),
                               {"v": original, "id": world_["funded"]["id"]})
        engine.dispose()


def test_a_tampered_event_is_caught_at_its_link(world):
    stack, world_ = world
    engine = create_engine(stack.database_urls["applications"])
    with engine.begin() as connection:
        row = connection.execute(select(events.c.event_id, events.c.data).where(
            events.c.aggregate_id == world_["funded"]["id"], events.c.version == 1)).one()
        connection.execute(update(events).where(events.c.event_id == row.event_id).values(
            data=row.data.replace('"6000.00"', '"60000.00"')))
    try:
        out = io.StringIO()
        assert not audit.verify_services(out=out, environ=stack.environment())
        assert "applications: ŁAŃCUCH PRZERWANY" in out.getvalue() and row.event_id in out.getvalue()
        assert "zapis zmieniono" in out.getvalue()
    finally:
        with engine.begin() as connection:
            connection.execute(update(events).where(events.c.event_id == row.event_id).values(data=row.data))
        engine.dispose()


def test_a_grant_that_broke_its_rules_is_reported_by_the_replay(world):
    stack, world_ = world
    engine = create_engine(stack.database_urls["funding"])
    forged_id = str(uuid.uuid4())
    spec = PUBLIC.spec("FundingGranted")
    data = spec.schema.dump(spec.cls(
        partnership_id=forged_id, edition_id=world_["edition"]["id"], amount=__import__("decimal").Decimal("7000.00"),
        cap=__import__("decimal").Decimal("6000.00"), rules=None, inputs=None))
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        SqlEventStore(session, "funding").append([NewEvent(
            event_id=str(uuid.uuid4()), aggregate_type="FundingCase", aggregate_id=forged_id, version=1,
            type=spec.type, schema_version=spec.version, topic=None, data=data, meta={"actor": "ktoś"},
            occurred_at=datetime.datetime.now(datetime.timezone.utc))])
        session.commit()
    try:
        outcomes, printed = replay(stack)
        funding = next(o for o in outcomes if o.service == "funding")
        assert any(forged_id in v and "przekracza limit" in v for v in funding.violations), printed
        assert "NARUSZONA REGUŁA" in printed
    finally:
        with engine.begin() as connection:
            connection.execute(events.delete().where(events.c.aggregate_id == forged_id))
        engine.dispose()
