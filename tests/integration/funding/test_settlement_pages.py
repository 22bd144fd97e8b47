"""A grant settled from its case page: the report entered, refused at its field, returned, entered again, accepted."""

from __future__ import annotations

from services.funding import queries
from tests.integration.funding.api import grant
from tests.integration.funding.support import open_case
from tests.support.apps import event_count
from tests.support.pages import errors_at, hidden_of, signed_in, signed_in_as, text

anna = signed_in_as("anna.kowalska", "funding")
REPORT = {"spent_amount": "4 800,00 zł", "volunteers_engaged": "12", "hours": "140,5", "submitted_on": "2022-01-14"}


def settlement_of(service, partnership_id: str) -> dict:
    with service.read() as session:
        return queries.case(session, partnership_id)["settlement"]


def test_a_report_is_refused_at_its_field_returned_and_then_accepted(funding, anna, staff, feed):
    service, _ = funding
    edition_id, partnership_id = open_case(service, feed, budget="30000.00")
    assert grant(staff, partnership_id, "5000.00").status_code == 201
    case_url, action = f"/cases/{partnership_id}", f"/cases/{partnership_id}/settlement"
    page = text(anna.get(case_url))
    assert "Rozliczenie" in page and "czeka na sprawozdanie" in page and 'value="5 000,00"' in page  # the grant, suggested

    before = event_count(service)
    over = anna.post(action, data={**hidden_of(page, action), **REPORT, "spent_amount": "5 000,01"})
    assert over.status_code == 422
    assert errors_at(text(over), "spent_amount")[0].startswith("Wydano 5 000,01 zł, a przyznano 5 000,00 zł")
    loose = anna.post(action, data={**hidden_of(page, action), **REPORT, "volunteers_engaged": "dwunastu", "hours": ""})
    assert errors_at(text(loose), "volunteers_engaged") == ["Oczekiwano liczby całkowitej."]
    assert errors_at(text(loose), "hours") == ["To pole jest wymagane."]
    assert event_count(service) == before

    entered = anna.post(action, data={**hidden_of(page, action), **REPORT})
    assert entered.status_code == 302 and entered.headers["Location"] == case_url
    page = text(anna.get(case_url))
    assert "Zapisano sprawozdanie końcowe partnerstwa „Sąsiedzi na Ochocie”." in page
    assert "sprawozdanie do sprawdzenia" in page and "140,5" in page and "14.01.2022" in page
    back = f"{case_url}/settlement/return"
    answer = anna.post(back, data={**hidden_of(page, back), "reason": "Brak faktur za materiały"})
    assert answer.status_code == 302 and settlement_of(service, partnership_id)["status"] == "returned"
    page = text(anna.get(case_url))
    assert "zwrócono do poprawy" in page and "Brak faktur za materiały" in page and f'action="{action}"' in page

    again = anna.post(action, data={**hidden_of(page, action), **REPORT, "spent_amount": "4 987,60"})
    assert again.status_code == 302
    page = text(anna.get(case_url))
    accept = f"{case_url}/settlement/accept"
    accepted = anna.post(accept, data=hidden_of(page, accept))
    assert accepted.status_code == 302
    settled = settlement_of(service, partnership_id)
    assert settled["status"] == "settled" and str(settled["returned_amount"]) == "12.40"
    page = text(anna.get(case_url))
    assert "rozliczono" in page and "Do zwrotu" in page and "12,40 zł" in page
    assert "Rozliczono dofinansowanie: wydano 4 987,60 zł, do zwrotu 12,40 zł" in page  # the history
    assert f'action="{action}"' not in page and f'action="{case_url}/revoke"' not in page  # settled: closed
    listed = text(anna.get("/", query_string={"edycja": edition_id, "status": "settled"}))
    assert case_url in listed and "rozliczone" in listed


def test_a_stale_accept_is_refused_and_a_read_only_person_sees_no_settlement_forms(funding, anna, staff, feed):
    service, app = funding
    _, partnership_id = open_case(service, feed)
    grant(staff, partnership_id, "5000.00")
    case_url = f"/cases/{partnership_id}"
    staff.post(f"/api/v1/cases/{partnership_id}/settlement", json={
        "spent_amount": "5000.00", "volunteers_engaged": 3, "hours": "20", "submitted_on": "2022-01-10"})
    page = text(anna.get(case_url))
    staff.post(f"/api/v1/cases/{partnership_id}/settlement/return", json={"reason": "Popraw godziny"})
    stale = anna.post(f"{case_url}/settlement/accept", data=hidden_of(page, f"{case_url}/settlement/accept"))
    assert stale.status_code == 422 and settlement_of(service, partnership_id)["status"] == "returned"
    ewa = signed_in(app, "ewa.wisniewska", "/")[0]
    read_only = text(ewa.get(case_url))
    assert "Rozliczenie" in read_only and "Wpisz sprawozdanie końcowe" not in read_only
