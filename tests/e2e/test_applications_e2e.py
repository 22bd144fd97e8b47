"""Applications over HTTP publishes its events to Kafka as CloudEvents (real processes)."""

from __future__ import annotations

import socket

import orjson
import requests

from contracts import topics
from tests.support.topics import read_topic
from tests.support.waiting import wait_until


def test_a_partnership_proposed_over_http_is_on_the_topic_with_its_cloudevent_attributes(live, broker):
    with live("applications") as stack:
        staff = stack.session("applications:write", subject="anna.nowak")
        api = f"{stack.url('applications')}/api/v1"
        edition = staff.post(f"{api}/editions", json={
            "programme": "partnerships", "name": "Partnerstwa 2021 – tura jesienna", "year": 2021, "round": "autumn",
            "kind": "partnership", "mal_required": True, "opens_on": "2021-09-01", "closes_on": "2021-10-31",
            "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
                           {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}],
        }).json()
        partners = [
            staff.post(f"{api}/institutions", json={"name": name, "kind": kind, "district": "Ochota"}).json()["id"]
            for name, kind in [("Ognisko Pracy Pozaszkolnej na Ochocie", "other"),
                               ("Biblioteka „Pod Skrzydłami”", "library"),
                               ("Miejsce Aktywności Lokalnej SURMA", "mal")]
        ]
        proposed = staff.post(f"{api}/partnerships", json={
            "edition_id": edition["id"], "title": "Sąsiedzi na Ochocie", "lead_institution_id": partners[0],
            "institution_ids": partners, "requested_amount": "6000.00",
        })
        assert proposed.status_code == 201, proposed.text
        partnership = proposed.json()

        def published():
            return [e for e in read_topic(broker.bootstrap, topics.APPLICATIONS) if e["subject"] == partnership["id"]]

        [event] = wait_until(published, what="PartnershipProposed on the topic")
    assert event["_key"] == partnership["id"]
    assert event["specversion"] == "1.0"
    assert event["type"] == "PartnershipProposed"
    assert event["source"] == "/ochotnicy/applications"
    assert event["sequence"] == 1
    assert event["datacontenttype"] == "application/json"
    assert event["dataschema"] == "urn:ochotnicy:event:PartnershipProposed:v1"
    assert event["time"].endswith("Z")
    assert event["data"]["requested_amount"] == "6000.00"
    assert event["data"]["institution_ids"] == partners


def test_web_and_worker_stop_cleanly_on_sigterm(live):
    stack = live("applications").start()
    try:
        for role in ("worker", "web"):
            process = stack.process(f"applications-{role}")
            process.terminate()
            assert process.wait(timeout=30) == 0, f"{role} did not exit cleanly on SIGTERM"
    finally:
        stack.stop()
    assert '"message": "worker stopped"' in stack.log("applications-worker")


def test_a_request_gunicorn_refuses_before_the_app_is_answered_as_json_in_polish(live):
    stack = live("applications")
    stack.start_process("applications", "web")
    try:
        stack.wait_healthy()
        too_long = requests.get(f"{stack.url('applications')}/api/v1/partnerships", params={"q": "a" * 5000}, timeout=10)
        with socket.create_connection(("127.0.0.1", stack.ports["applications"]), timeout=10) as raw:
            raw.sendall(b"GARBAGE\r\n\r\n")
            garbled = raw.recv(4096)
    finally:
        stack.stop()
    assert too_long.status_code == 414
    assert too_long.headers["Content-Type"] == "application/json"
    assert "Adres żądania jest za długi" in too_long.json()["message"]
    head, _, body = garbled.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"Content-Type: application/json" in head
    assert orjson.loads(body)["code"] == 400
