"""Reporting as real processes: staff act on applications over HTTP, a grant arrives on the funding
topic, and the summary, its sources and the page follow from the events alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kafka import KafkaProducer

from contracts import topics
from contracts.funding import FundingGranted
from infra.messaging import kafka
from tests.integration.reporting.scenario import rewrite, wrap
from tests.support.stack import settings
from tests.support.waiting import wait_until


def test_the_summary_follows_applications_over_http_and_a_grant_on_the_funding_topic(live, broker):
    with live("applications", "reporting") as stack:
        staff = stack.session("applications:write", subject="anna.nowak")
        reader = stack.session("reporting:read", subject="rada")
        api = f"{stack.url('applications')}/api/v1"
        reports = f"{stack.url('reporting')}/api/v1"
        edition = staff.post(f"{api}/editions", json={
            "programme": "partnerships", "name": "Partnerstwa 2021 – tura wiosenna", "year": 2021, "round": "spring",
            "kind": "partnership", "mal_required": False, "opens_on": "2021-03-01", "closes_on": "2021-04-30",
            "grant_caps": [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
                           {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}],
        }).json()
        partners = [
            staff.post(f"{api}/institutions", json={"name": name, "kind": kind, "district": district}).json()["id"]
            for name, kind, district in [("Biblioteka Publiczna na Bielanach – Filia 12", "library", "Bielany"),
                                         ("Bielański Ośrodek Kultury", "culture_house", "Bielany"),
                                         ("Szkoła Podstawowa nr 293", "school", "Żoliborz")]
        ]
        first = staff.post(f"{api}/partnerships", json={
            "edition_id": edition["id"], "title": "Czytanie na Bielanach", "lead_institution_id": partners[0],
            "institution_ids": partners, "requested_amount": "6000.00"}).json()
        second = staff.post(f"{api}/partnerships", json={
            "edition_id": edition["id"], "title": "Lekcje w bibliotece", "lead_institution_id": partners[2],
            "institution_ids": partners[1:], "requested_amount": "4000.00"}).json()
        assert staff.post(f"{api}/partnerships/{second['id']}/withdraw", json={"reason": "Zmiana planów"}).status_code == 200

        # The funding service is not part of this stack: its decision arrives as its event would.
        kafka.ensure_topics(settings("reporting", "sqlite://", broker.bootstrap), [topics.FUNDING], "e2e")
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        grant = wrap(FundingGranted(first["id"], edition["id"], Decimal("5500.00"), Decimal("6000.00")),
                     time=datetime.datetime.now(datetime.timezone.utc))
        producer.send(topics.FUNDING, key=first["id"].encode(), value=rewrite(grant)).get(timeout=30)
        producer.close()

        def summary():
            response = reader.get(f"{reports}/editions/{edition['id']}/summary")
            body = response.json() if response.status_code == 200 else None
            return body if body and body["partnerships"]["funded"] == 1 and body["partnerships"]["withdrawn"] == 1 else None

        body = wait_until(summary, timeout=90, what="the summary built from both topics")
        assert body["name"] == "Partnerstwa 2021 – tura wiosenna"
        assert body["partnerships"] == {"proposed": 2, "mal_verified": 0, "funded": 1, "rejected": 0, "withdrawn": 1,
                                        "revoked": 0, "settled": 0}
        assert body["funding"] == {"requested_total": "6000.00", "granted_total": "5500.00", "revoked_total": "0.00",
                                   "spent_total": "0.00", "returned_total": "0.00"}
        assert body["institutions"] == {"count": 3, "by_kind": {"library": 1, "culture_house": 1, "school": 1},
                                        "by_district": {"Bielany": 2, "Żoliborz": 1}}

        before = reader.get(f"{reports}/editions/{edition['id']}/summary", params={"as_of": "2020-01-01"}).json()
        assert before["partnerships"]["proposed"] == 0

        funded = reader.get(f"{reports}/editions/{edition['id']}/summary/sources",
                            params={"field": "partnerships.funded"}).json()
        assert [s["event_id"] for s in funded["sources"]] == [grant.id]

        page = reader.get(f"{stack.url('reporting')}/editions/{edition['id']}")
        assert page.status_code == 200
        assert "Czytanie na Bielanach" in page.text and "5\u00a0500,00\u00a0zł" in page.text
        assert reader.get(f"{reports}/editions/{edition['id']}/export.xlsx").status_code == 200
