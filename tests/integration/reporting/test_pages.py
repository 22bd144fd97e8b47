"""The pages over HTTP (without a browser): sign-in, redirects, Polish content, errors as pages."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlparse

from infra.web.auth import COOKIE


def test_a_page_without_a_sign_in_redirects_to_the_sign_in_page_keeping_the_address(client, world):
    response = client.anonymous().get(f"/editions/{world.edition_id}?as_of=2021-10-31")
    assert response.status_code == 302
    target = urlparse(response.headers["Location"])
    assert target.path == "/signin"
    assert parse_qs(target.query)["next"] == [f"/editions/{world.edition_id}?as_of=2021-10-31"]


def test_a_bad_cookie_also_redirects_while_the_api_answers_json_401(client, world):
    browser = client.app.test_client()
    browser.set_cookie(COOKIE, "not-a-token")
    assert browser.get(f"/editions/{world.edition_id}").status_code == 302
    api = browser.get(f"/api/v1/editions/{world.edition_id}/summary")
    assert api.status_code == 401 and api.is_json


def test_the_edition_page_in_polish_with_figures_charts_and_the_funded_list(client, world):
    page = client.get(f"/editions/{world.edition_id}")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "20\u00a0500,00\u00a0zł" in html and "29\u00a0500,00\u00a0zł" in html
    assert html.count("<svg") == 4
    for title in ("Sąsiedzi na Ochocie", "Czytamy na Woli", "Mokotów razem"):
        assert title in html
    assert "Wycofany pomysł" not in html  # not funded
    assert f"/api/v1/editions/{world.edition_id}/export.csv" in html and "export.xlsx" in html


def test_the_edition_page_as_of_a_day(client, world):
    html = client.get(f"/editions/{world.edition_id}?as_of=2021-10-31").get_data(as_text=True)
    assert "31 października 2021, 23:59" in html
    assert 'value="2021-10-31"' in html
    assert "Żadnemu partnerstwu nie przyznano jeszcze dofinansowania" in html
    assert "export.csv?as_of=2021-10-31" in html
    assert "zamknięta" not in html  # closed only on 20 December
    assert "zamknięta 20 grudnia 2021" in client.get(f"/editions/{world.edition_id}").get_data(as_text=True)


def test_the_edition_page_before_the_edition_was_opened_says_so(client, world):
    before = client.get(f"/editions/{world.edition_id}?as_of=2021-08-31").get_data(as_text=True)
    assert "Edycję otwarto dopiero 1 września 2021, 10:00" in before  # 08:00 UTC, in Warsaw
    assert "Edycję otwarto dopiero" not in client.get(f"/editions/{world.edition_id}?as_of=2021-09-01").get_data(as_text=True)
    assert "Edycję otwarto dopiero" not in client.get(f"/editions/{world.edition_id}").get_data(as_text=True)


def test_page_errors_are_pages(client, world):
    missing = client.get(f"/editions/{uuid.uuid4()}")
    assert missing.status_code == 404 and "Nie ma takiej edycji" in missing.get_data(as_text=True)
    bad = client.get(f"/editions/{world.edition_id}?as_of=wczoraj")
    assert bad.status_code == 422 and "Niepoprawna data" in bad.get_data(as_text=True)
    twice = "as_of=2021-10-31&as_of=2021-09-01"
    for url in (f"/editions?{twice}", f"/editions/{world.edition_id}?{twice}",
                f"/editions/{world.edition_id}/sources?field=funding.granted_total&{twice}"):
        page = client.get(url)
        assert page.status_code == 422 and "Podaj datę (as_of) tylko raz." in page.get_data(as_text=True), url


def test_the_sources_page_lists_the_events_behind_a_figure(client, world):
    html = client.get(f"/editions/{world.edition_id}/sources?field=funding.granted_total").get_data(as_text=True)
    assert "Skąd ta liczba: Przyznane dofinansowanie" in html
    assert html.count("Przyznanie dofinansowania") == 3
    grants = [e for e in world.events if e.type == "FundingGranted" and e.data.edition_id == world.edition_id]
    assert all(e.id in html for e in grants)
    assert client.get(f"/editions/{world.edition_id}/sources?field=nope").status_code == 422


def test_an_address_under_editions_that_names_no_edition_is_a_polish_page(client, world):
    for address in ("/editions/not-a-uuid", f"/editions/{world.edition_id}/nope", "/editions/<script>"):
        page = client.get(address)
        html = page.get_data(as_text=True)
        assert page.status_code == 404 and page.content_type.startswith("text/html"), address
        assert "Nie ma takiej strony" in html and 'href="/editions"' in html and "<script>" not in html, address
    anonymous = client.anonymous().get("/editions/not-a-uuid")
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]  # as every page
    assert client.get("/api/v1/editions/not-a-uuid/summary").is_json  # the API keeps answering JSON


def test_the_index_as_of_a_day_lists_the_editions_opened_by_then_linking_to_that_day(client, world):
    html = client.get("/editions?as_of=2021-10-31").get_data(as_text=True)
    assert f'href="/editions/{world.edition_id}?as_of=2021-10-31"' in html
    assert "Partnerstwa 2022 – tura wiosenna" not in html  # opened on 1 February 2022
    assert 'value="2021-10-31"' in html and "stan bieżący" in html
    empty = client.get("/editions?as_of=2020-01-01").get_data(as_text=True)
    assert "Do tego dnia nie otwarto żadnej edycji." in empty


def test_the_index_lists_editions_and_the_root_leads_there(client, world):
    html = client.get("/editions").get_data(as_text=True)
    assert f'href="/editions/{world.edition_id}"' in html and "Partnerstwa 2021 – tura jesienna" in html
    slash = client.get("/editions/")  # with its slash, the same page
    assert slash.status_code == 200 and f'href="/editions/{world.edition_id}"' in slash.get_data(as_text=True)
    assert client.get("/").headers["Location"].endswith("/editions")


def test_a_funded_partnership_in_the_summary_opens_its_funding_case(client, world):
    html = client.get(f"/editions/{world.edition_id}").get_data(as_text=True)
    cases = re.findall(r'href="http://127\.0\.0\.1:8002/cases/([0-9a-f-]{36})"', html)
    assert len(cases) == 3  # the three funded partnerships, each to its case on the funding service
