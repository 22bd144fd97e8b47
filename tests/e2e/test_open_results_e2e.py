"""Open results as real processes: staff open an edition and propose over HTTP, a grant arrives on the funding topic, and a
resident without a token reads it from reporting's open API, its open-data file and /wyniki, cached by ETag."""

from __future__ import annotations

import datetime
from decimal import Decimal

import requests
from kafka import KafkaProducer

from contracts import topics
from contracts.funding import FundingGranted
from infra.messaging import kafka
from tests.integration.reporting.scenario import rewrite, wrap
from tests.support.stack import settings
from tests.support.waiting import wait_until


def test_a_resident_reads_the_open_results_without_a_token(live, broker):
    with live("applications", "reporting") as stack:
        staff = stack.session("applications:write", subject="anna.nowak")
        api, site = f"{stack.url('applications')}/api/v1", stack.url("reporting")
        edition = staff.post(f"{api}/editions", json={
            "programme": "partnerships", "name": "Partnerstwa 2021 – tura wiosenna", "year": 2021, "round": "spring",
            "kind": "partnership", "mal_required": False, "opens_on": "2021-03-01", "closes_on": "2021-04-30",
            "grant_caps": [{"min_institutions": 2, "max_institutions": None, "cap": "6000.00"}],
        }).json()
        partners = [staff.post(f"{api}/institutions", json={"name": name, "kind": kind, "district": "Bielany"}).json()["id"]
                    for name, kind in (("Biblioteka na Bielanach – Filia 12", "library"), ("Bielański Ośrodek Kultury", "culture_house"))]
        proposal = staff.post(f"{api}/partnerships", json={
            "edition_id": edition["id"], "title": "Czytanie na Bielanach", "lead_institution_id": partners[0],
            "institution_ids": partners, "requested_amount": "6000.00"}).json()
        kafka.ensure_topics(settings("reporting", "sqlite://", broker.bootstrap), [topics.FUNDING], "e2e")
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
        grant = wrap(FundingGranted(proposal["id"], edition["id"], Decimal("5500.00"), Decimal("6000.00")),
                     time=datetime.datetime.now(datetime.timezone.utc))
        producer.send(topics.FUNDING, key=proposal["id"].encode(), value=rewrite(grant)).get(timeout=30)
        producer.close()

        def published():
            answer = requests.get(f"{site}/api/v1/public/editions/{edition['id']}", timeout=10)  # no token
            return answer if answer.status_code == 200 and answer.json()["funded_partnerships"] else None

        answer = wait_until(published, timeout=90, what="the grant in the open results")
        [funded] = answer.json()["funded_partnerships"]
        assert (funded["title"], funded["amount_granted"], funded["district"]) == ("Czytanie na Bielanach", "5500.00", "Bielany")
        again = requests.get(f"{site}/api/v1/public/editions/{edition['id']}", headers={"If-None-Match": answer.headers["ETag"]},
                             timeout=10)
        assert again.status_code == 304
        assert "Czytanie na Bielanach" in requests.get(f"{site}/api/v1/public/partnerships.csv", timeout=10).text
        page = requests.get(f"{site}/wyniki/{edition['id']}", timeout=10)
        assert page.status_code == 200 and "5\u00a0500,00\u00a0zł" in page.text
        assert requests.get(f"{site}/api/v1/editions/{edition['id']}/summary", timeout=10).status_code == 401  # staff API still closed
