"""Funding's staff pages: the worklist of cases to decide, a case, and its grant and reject forms (one path with the API)."""

from __future__ import annotations

from decimal import Decimal

from infra.web.workspace.forms import STALE
from services.funding import queries
from tests.integration.funding.api import grant
from tests.integration.funding.support import apply, open_case, uid
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, signed_in, signed_in_as, text

anna = signed_in_as("anna.kowalska", "funding")


def case_of(service, partnership_id: str) -> dict:
    with service.read() as session:
        return queries.case(session, partnership_id)


def test_the_worklist_shows_the_newest_edition_with_cases_to_decide_with_caps_reasons_and_the_budget(funding, anna, staff, feed):
    service, _ = funding
    edition_id, ready = open_case(service, feed, budget="30000.00", size=5, requested="12000.00")
    waiting = uid()
    apply(service, feed.proposed(waiting, edition_id, title="Mokotów dla seniorów"))  # MAL not verified yet
    apply(service, feed.edition_opened(uid(), name="Partnerstwa 2022 – tura wiosenna"))  # newer, nothing to decide

    page = text(anna.get("/"))
    assert "Sprawy dofinansowania" in page and "Budżet edycji „Partnerstwa 2021 – tura jesienna”" in page
    assert f'<option value="{edition_id}" selected>' in page and "Partnerstwa 2022 – tura wiosenna" in page
    assert "30 000,00 zł" in page and "Pozostało do rozdzielenia" in page
    assert f'href="/cases/{ready}"' in page and "12 000,00 zł" in page and "10 000,00 zł" in page
    assert "4 lub więcej instytucji" in page and "5 instytucji w partnerstwie" in page
    assert "MAL nie został jeszcze zweryfikowany" in page  # the case's own reason, in Polish

    assert grant(staff, ready, "10000.00").status_code == 201
    open_now = text(anna.get("/", query_string={"edycja": edition_id}))
    assert "Mokotów dla seniorów" in open_now and f'href="/cases/{ready}"' not in open_now
    granted = text(anna.get("/", query_string={"edycja": edition_id, "status": "granted"}))
    assert f'href="/cases/{ready}"' in granted and "Mokotów dla seniorów" not in granted
    assert "20 000,00 zł" in granted  # what is left of the budget


def test_a_case_page_offers_the_request_but_never_more_than_the_cap_and_links_to_its_partnership(funding, anna, feed):
    service, app = funding
    _, over = open_case(service, feed, size=5, requested="12000.00")
    _, under = open_case(service, feed, size=3, requested="5000.00")
    page = text(anna.get(f"/cases/{over}"))
    assert "Przyznaj dofinansowanie" in page and "Odmów dofinansowania" in page
    assert 'value="10 000,00"' in page  # the cap, not the 12 000,00 zł asked for
    applications = app.extensions["ochotnicy.settings"].service_urls["applications"].rstrip("/")
    assert f'href="{applications}/partnerships/{over}"' in page
    assert 'value="5 000,00"' in text(anna.get(f"/cases/{under}"))
    assert anna.get(f"/cases/{uid()}").status_code == 404


def test_granting_through_the_form_records_the_grant_and_goes_back_to_the_worklist(funding, anna, feed):
    service, _ = funding
    edition_id, partnership_id = open_case(service, feed, budget="30000.00")
    action = f"/cases/{partnership_id}/grant"
    hidden = hidden_of(text(anna.get(f"/cases/{partnership_id}")), action)
    answer = anna.post(action, data={**hidden, "amount": "5 500,00 zł"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/?edycja={edition_id}"
    case = case_of(service, partnership_id)
    assert case["status"] == "granted" and case["decision"]["amount"] == Decimal("5500.00")
    assert case["decision"]["decided_by"] == "anna.kowalska"
    assert "Przyznano dofinansowanie partnerstwu „Sąsiedzi na Ochocie”: 5 500,00 zł." in text(anna.get(answer.headers["Location"]))
    page = text(anna.get(f"/cases/{partnership_id}"))
    assert "Przyznano dofinansowanie: 5 500,00 zł" in page and "anna.kowalska" in page  # the history
    assert f'action="{action}"' not in page  # decided: no forms any more


def test_a_grant_over_the_cap_shows_the_domains_message_at_the_amount_and_records_nothing(funding, anna, feed):
    service, _ = funding
    _, partnership_id = open_case(service, feed, size=3, requested="6000.00")
    action = f"/cases/{partnership_id}/grant"
    hidden = hidden_of(text(anna.get(f"/cases/{partnership_id}")), action)
    before = event_count(service)
    answer = anna.post(action, data={**hidden, "amount": "6 000,01"})
    assert answer.status_code == 422
    page = text(answer)
    [message] = errors_at(page, "amount")
    assert message.startswith("Kwota 6 000,01 zł przekracza limit 6 000,00 zł dla partnerstwa 2–3 instytucji")
    assert 'value="6 000,01"' in page  # what was typed stays, to be corrected
    assert event_count(service) == before and case_of(service, partnership_id)["status"] == "open"


def test_the_same_form_sent_twice_grants_once(funding, anna, feed):
    service, _ = funding
    _, partnership_id = open_case(service, feed, budget="50000.00")
    action = f"/cases/{partnership_id}/grant"
    hidden = hidden_of(text(anna.get(f"/cases/{partnership_id}")), action)
    before = event_count(service)
    first = anna.post(action, data={**hidden, "amount": "6000,00"})
    again = anna.post(action, data={**hidden, "amount": "6000,00"})
    assert first.status_code == again.status_code == 302
    assert event_count(service) == before + 2  # FundingGranted and the edition budget's BudgetCommitted, once
    assert text(anna.get(again.headers["Location"])).count("Przyznano dofinansowanie partnerstwu") == 1


def test_a_decision_on_a_stale_page_is_refused_with_the_stale_message(funding, anna, staff, feed):
    service, _ = funding
    _, partnership_id = open_case(service, feed)
    page = text(anna.get(f"/cases/{partnership_id}"))
    stale = hidden_of(page, f"/cases/{partnership_id}/reject")
    assert grant(staff, partnership_id, "4000.00").status_code == 201  # someone else decided meanwhile
    before = event_count(service)
    answer = anna.post(f"/cases/{partnership_id}/reject", data={**stale, "reason": "Brak wkładu własnego partnerów."})
    assert answer.status_code == 422 and STALE in text(answer)
    assert event_count(service) == before and case_of(service, partnership_id)["status"] == "granted"


def test_rejecting_needs_a_reason_and_records_it(funding, anna, feed):
    service, _ = funding
    edition_id, partnership_id = open_case(service, feed, verified=False)
    action = f"/cases/{partnership_id}/reject"
    page = text(anna.get(f"/cases/{partnership_id}"))
    assert f'action="/cases/{partnership_id}/grant"' not in page  # not eligible: only a rejection is possible
    blank = anna.post(action, data={**hidden_of(page, action), "reason": "  "})
    assert blank.status_code == 422 and errors_at(text(blank), "reason")
    answer = anna.post(action, data={**hidden_of(page, action), "reason": "MAL nie bierze udziału w partnerstwie."})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/?edycja={edition_id}"
    case = case_of(service, partnership_id)
    assert case["status"] == "rejected" and case["decision"]["reason"] == "MAL nie bierze udziału w partnerstwie."


def test_a_read_only_person_sees_no_forms_and_a_post_gets_the_403_page(funding, anna, feed):
    service, app = funding
    ewa = signed_in(app, "ewa.wisniewska", "/")[0]
    _, partnership_id = open_case(service, feed)
    page = text(ewa.get(f"/cases/{partnership_id}"))
    assert "Sąsiedzi na Ochocie" in page and "Przyznaj dofinansowanie" not in page and "<textarea" not in page
    assert "funding:write" in page  # says who decides
    hidden = hidden_of(text(anna.get(f"/cases/{partnership_id}")), f"/cases/{partnership_id}/grant")
    before = event_count(service)
    for action, field, value in (("grant", "amount", "1000,00"), ("reject", "reason", "Nie.")):
        answer = ewa.post(f"/cases/{partnership_id}/{action}", data={**hidden, "csrf_token": csrf(page), field: value})
        assert answer.status_code == 403 and "Brak uprawnień" in text(answer)
    assert event_count(service) == before


def test_the_worklist_pages_keeping_its_edition_and_status(funding, anna, feed):
    service, _ = funding
    edition_id, _ = open_case(service, feed)
    apply(service, *(feed.proposed(uid(), edition_id, title=f"Partnerstwo {n:02}") for n in range(1, 26)))
    first = text(anna.get("/", query_string={"edycja": edition_id, "status": "open"}))
    assert "26 spraw" in first and "Strona 1 z 2" in first and "Partnerstwo 25" not in first
    assert f'href="/?edycja={edition_id}&status=open&strona=2"' in first
    second = text(anna.get("/", query_string={"edycja": edition_id, "status": "open", "strona": "2"}))
    assert "Partnerstwo 25" in second and "Strona 2 z 2" in second


def test_a_grant_is_revoked_from_its_case_page_with_a_reason_and_the_page_says_why(funding, anna, staff, feed):
    service, _ = funding
    _, partnership_id = open_case(service, feed, budget="30000.00")
    assert grant(staff, partnership_id, "5000.00").status_code == 201
    action = f"/cases/{partnership_id}/revoke"
    hidden = hidden_of(text(anna.get(f"/cases/{partnership_id}")), action)
    blank = anna.post(action, data={**hidden, "reason": " "})
    assert blank.status_code == 422 and errors_at(text(blank), "revoke-reason")
    answer = anna.post(action, data={**hidden, "reason": "Partnerstwo nie realizuje projektu"})
    assert answer.status_code == 302 and case_of(service, partnership_id)["status"] == "revoked"
    page = text(anna.get(f"/cases/{partnership_id}"))
    assert "Dofinansowanie cofnięto" in page and "Partnerstwo nie realizuje projektu" in page
    assert f'action="{action}"' not in page  # revoked: nothing more to take back
