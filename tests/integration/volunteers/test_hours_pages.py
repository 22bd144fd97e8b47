"""Hours from the browser: recorded on the volunteer's page, approved or declined on the worklist, through the API's
commands and rules; a double submit does nothing twice, refusals land at their field."""

from __future__ import annotations

from services.volunteers import access
from tests.integration.volunteers.api import API, join, register
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("marek.nowak", "volunteers")
reader = signed_in_as("ewa.wisniewska", "volunteers")


def member(staff, known) -> tuple[str, str]:
    volunteer = register(staff)
    return volunteer["id"], join(staff, volunteer["id"], known, joined_on="2021-10-01").get_json()["id"]


def recorded(staff, volunteer_id: str, membership_id: str, month: str = "2021-10", hours: str = "12.5") -> dict:
    answer = staff.post(f"{API}/{volunteer_id}/memberships/{membership_id}/hours", json={"month": month, "hours": hours})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_hours_are_recorded_from_the_volunteers_page_once_however_often_sent(clerk, staff, known, volunteers):
    volunteer_id, membership_id = member(staff, known)
    path = f"/volunteers/{volunteer_id}"
    action = f"{path}/memberships/{membership_id}/hours"
    page = shown(clerk, path)
    assert "Nie wpisano jeszcze godzin." in page and "Wpisz godziny za miesiąc" in page
    prefix = f"h{membership_id[:8]}-"
    sent = hidden_of(page, action) | {f"{prefix}month": "2021-11", f"{prefix}hours": "12,5",
                                      f"{prefix}activity": "Głośne czytanie"}
    before = event_count(volunteers[0])
    answer = clerk.post(action, data=sent)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"{path}#m-{membership_id}")
    assert clerk.post(action, data=sent).status_code == 302 and event_count(volunteers[0]) == before + 1
    [entry] = staff.get(f"{API}/{volunteer_id}/hours").get_json()
    assert (entry["month"], entry["hours"], entry["activity"], entry["status"]) == ("2021-11", "12.50", "Głośne czytanie",
                                                                                   "submitted")
    after = shown(clerk, path)
    assert "listopad 2021" in after and "12,5" in after and "czeka na zatwierdzenie" in after
    assert "Wpisano godziny za listopad 2021; czekają na zatwierdzenie." in after


def test_refused_hours_show_at_their_field_and_store_nothing(clerk, staff, known, volunteers):
    volunteer_id, membership_id = member(staff, known)
    path = f"/volunteers/{volunteer_id}"
    action = f"{path}/memberships/{membership_id}/hours"
    prefix = f"h{membership_id[:8]}-"
    before = event_count(volunteers[0])
    for month, hours, field, message in (("2021-09", "5", "month", "nie mieści się w członkostwie"),
                                         ("2021-10", "800", "hours", "liczba godzin w miesiącu październik 2021 (744)"),
                                         ("październik", "5", "month", "RRRR-MM")):
        answer = clerk.post(action, data=hidden_of(shown(clerk, path), action)
                            | {f"{prefix}month": month, f"{prefix}hours": hours})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422, (month, hours)
        [shown_message] = errors_at(page, f"{prefix}{field}")
        assert message in shown_message
        assert '<details open>\n    <summary>Wpisz godziny za miesiąc' in page  # the refused form is open
    assert event_count(volunteers[0]) == before


def test_the_worklist_approves_and_declines_with_a_reason_once(clerk, staff, known, volunteers):
    volunteer_id, membership_id = member(staff, known)
    first, second = recorded(staff, volunteer_id, membership_id), recorded(staff, volunteer_id, membership_id, "2021-11", "4")
    page = shown(clerk, f"/hours?instytucja={known.institution_id}")
    assert "Godziny do zatwierdzenia</h1>" in page and "Genowefa Pigwa" in page and "październik 2021" in page
    with volunteers[0].read() as session:  # the worklist named the person: that reading is logged
        assert ("marek.nowak", "read") in [(e["actor"], e["action"]) for e in access.of(session, volunteer_id)]
    approve = f"/volunteers/{volunteer_id}/hours/{first['id']}/approve?instytucja={known.institution_id}"
    hidden = hidden_of(page, approve)
    before = event_count(volunteers[0])
    answer = clerk.post(approve, data=hidden)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/hours?instytucja={known.institution_id}")
    assert clerk.post(approve, data=hidden).status_code == 302 and event_count(volunteers[0]) == before + 1
    after = shown(clerk, answer.headers["Location"])
    assert "Zatwierdzono 12,5 h za październik 2021 (Biblioteka Publiczna Wola)." in after
    decline = f"/volunteers/{volunteer_id}/hours/{second['id']}/decline?instytucja={known.institution_id}"
    prefix = f"d{second['id'][:8]}-"
    blank = clerk.post(decline, data=hidden_of(after, decline) | {f"{prefix}reason": "  "})
    assert blank.status_code == 422 and errors_at(blank.get_data(as_text=True), f"{prefix}reason")
    declined = clerk.post(decline, data=hidden_of(after, decline) | {f"{prefix}reason": "Godziny wpisano za wcześnie."})
    assert declined.status_code == 302 and event_count(volunteers[0]) == before + 2
    statuses = {e["id"]: (e["status"], e["reason"]) for e in staff.get(f"{API}/{volunteer_id}/hours").get_json()}
    assert statuses == {first["id"]: ("approved", None), second["id"]: ("declined", "Godziny wpisano za wcześnie.")}
    history = shown(clerk, f"/volunteers/{volunteer_id}")
    assert "odrzucone</span> Powód: Godziny wpisano za wcześnie." in history and "Zatwierdzono łącznie: <strong>12,5 h" in history


def test_a_decision_on_an_entry_decided_meanwhile_is_refused_with_the_reason(clerk, staff, known, volunteers):
    volunteer_id, membership_id = member(staff, known)
    entry = recorded(staff, volunteer_id, membership_id)
    approve = f"/volunteers/{volunteer_id}/hours/{entry['id']}/approve"
    hidden = hidden_of(shown(clerk, "/hours"), approve)
    assert staff.post(f"{API}/{volunteer_id}/hours/{entry['id']}/decline", json={"reason": "Dubel."}).status_code == 200
    before = event_count(volunteers[0])
    answer = clerk.post(approve, data=hidden)
    assert answer.status_code == 422 and event_count(volunteers[0]) == before
    assert "został już odrzucony (Dubel.); decyzję podejmuje się raz." in text(answer)


def test_someone_who_only_reads_gets_no_worklist_and_cannot_record_or_decide(reader, staff, known, volunteers):
    volunteer_id, membership_id = member(staff, known)
    entry = recorded(staff, volunteer_id, membership_id)
    answer = reader.get("/hours")
    assert answer.status_code == 403 and "Genowefa" not in answer.get_data(as_text=True)
    token = csrf(shown(reader, f"/volunteers/{volunteer_id}"))
    before = event_count(volunteers[0])
    for action, body in ((f"/volunteers/{volunteer_id}/memberships/{membership_id}/hours", {"month": "2021-10", "hours": "1"}),
                         (f"/volunteers/{volunteer_id}/hours/{entry['id']}/approve", {}),
                         (f"/volunteers/{volunteer_id}/hours/{entry['id']}/decline", {"reason": "Nie."})):
        assert reader.post(action, data={"csrf_token": token} | body).status_code == 403, action
    assert event_count(volunteers[0]) == before
