"""Paperwork and corrections from the browser: a minor's consent on joining, what a membership misses and mending
it, the list filtered by what is missing, and personal data corrected (RODO art. 16) from the volunteer's page."""

from __future__ import annotations

import datetime

from services.volunteers import access, clock
from tests.integration.volunteers.api import API, join, register
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("marek.nowak", "volunteers")
reader = signed_in_as("ewa.wisniewska", "volunteers")
TODAY = clock.today()


def days_ago(n: int) -> str:
    return (TODAY - datetime.timedelta(days=n)).isoformat()


def joining(known, **overrides) -> dict[str, str]:
    return {"institution_id": known.institution_id, "edition_id": known.edition_id, "partnership_id": "",
            "joined_on": days_ago(2)} | overrides


def test_a_minor_joins_from_the_page_only_with_the_guardians_consent(clerk, staff, known, volunteers):
    volunteer = register(staff, birth_date=f"{TODAY.year - 15}-01-01")
    path = f"/volunteers/{volunteer['id']}"
    page = shown(clerk, path)
    assert f"01.01.{TODAY.year - 15}" in page  # the birth date, shown to volunteers:write
    before = event_count(volunteers[0])
    refused = clerk.post(f"{path}/join", data=hidden_of(page, f"{path}/join") | joining(known))
    assert refused.status_code == 422 and event_count(volunteers[0]) == before
    [message] = errors_at(refused.get_data(as_text=True), "guardian_consent")
    assert "nie ma ukończonych 18 lat: potrzebna jest zgoda opiekuna prawnego" in message
    answer = clerk.post(f"{path}/join", data=hidden_of(page, f"{path}/join")
                        | joining(known, guardian_consent="y", accident_insurance="y"))
    assert answer.status_code == 302
    [membership] = staff.get(f"{API}/{volunteer['id']}").get_json()["memberships"]
    assert (membership["minor"], membership["guardian_consent"], membership["accident_insurance"]) == (True, True, True)
    assert "Dokumenty w porządku" in shown(clerk, path)


def test_what_a_membership_misses_is_shown_and_mended_once_from_its_page(clerk, staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known, joined_on=days_ago(45)).get_json()
    path = f"/volunteers/{volunteer['id']}"
    action = f"{path}/memberships/{membership['id']}/paperwork"
    prefix = f"p{membership['id'][:8]}-"
    page = shown(clerk, path)
    assert "Brak pisemnego porozumienia: wolontariat trwa dłużej niż 30 dni" in page and "art. 44" in page
    assert "Dokumenty w porządku" not in page
    sent = hidden_of(page, action) | {f"{prefix}agreement_signed_on": days_ago(44)}
    before = event_count(volunteers[0])
    answer = clerk.post(action, data=sent)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"{path}#m-{membership['id']}")
    assert clerk.post(action, data=sent).status_code == 302 and event_count(volunteers[0]) == before + 1
    after = shown(clerk, path)
    assert "Zapisano dokumenty członkostwa." in after and "Dokumenty w porządku" in after
    assert f"podpisane {(TODAY - datetime.timedelta(days=44)).strftime('%d.%m.%Y')}" in after
    again = clerk.post(action, data=hidden_of(after, action) | {f"{prefix}agreement_signed_on": days_ago(44)})
    assert again.status_code == 302 and event_count(volunteers[0]) == before + 1
    assert "niczego nie zmieniono" in shown(clerk, path)


def test_a_paperwork_form_drawn_before_another_change_is_refused_and_a_future_date_at_its_field(clerk, staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known, joined_on=days_ago(45)).get_json()
    path = f"/volunteers/{volunteer['id']}"
    action = f"{path}/memberships/{membership['id']}/paperwork"
    prefix = f"p{membership['id'][:8]}-"
    hidden = hidden_of(shown(clerk, path), action)
    future = clerk.post(action, data=hidden | {f"{prefix}agreement_signed_on": (TODAY + datetime.timedelta(days=3)).isoformat()})
    assert future.status_code == 422
    assert "nie może być późniejsza niż dzisiejsza" in errors_at(future.get_data(as_text=True), f"{prefix}agreement_signed_on")[0]
    assert staff.patch(f"{API}/{volunteer['id']}/memberships/{membership['id']}/paperwork", json={"accident_insurance": True},
                       headers={"If-Match": "*"}).status_code == 200  # someone else, meanwhile
    before = event_count(volunteers[0])
    stale = clerk.post(action, data=hidden | {f"{prefix}agreement_signed_on": days_ago(44)})
    assert stale.status_code == 422 and event_count(volunteers[0]) == before
    assert "Ktoś zmienił te dane, gdy strona była otwarta" in text(stale)


def test_the_list_finds_whom_a_document_is_missing_for_and_says_where(clerk, staff, known):
    marker = f"Braki{datetime.datetime.now().microsecond}"
    lacking, complete = register(staff, last_name=marker), register(staff, last_name=marker + "x")
    join(staff, lacking["id"], known, joined_on=days_ago(45))
    join(staff, complete["id"], known, joined_on=days_ago(45), agreement_signed_on=days_ago(45))
    page = shown(clerk, f"/?szukaj={marker}&braki=agreement_missing")
    assert lacking["email"] in page and complete["email"] not in page
    assert "1 osoba z członkostwem" not in page and ": brak pisemnego porozumienia</caption>" in page
    assert "Biblioteka Publiczna Wola</a>:\n        brak pisemnego porozumienia" in page
    everyone = shown(clerk, f"/?szukaj={marker}")
    assert complete["email"] in everyone and "nic nie brakuje" in everyone
    assert '<option value="agreement_missing" selected>' in page


def test_personal_data_is_corrected_from_the_page_once_and_logged_as_a_change(clerk, staff, volunteers):
    volunteer = register(staff)
    path = f"/volunteers/{volunteer['id']}"
    assert f'href="{path}/edit">Popraw dane osobowe' in shown(clerk, path)
    form, other_tab = shown(clerk, f"{path}/edit"), hidden_of(shown(clerk, f"{path}/edit"))
    assert 'value="Genowefa"' in form and f'value="{volunteer["email"]}"' in form
    sent = hidden_of(form) | {"first_name": "Genowefa", "last_name": "Pigwa-Nowak", "email": volunteer["email"],
                              "phone": "", "birth_date": "1990-05-17"}
    before = event_count(volunteers[0])
    answer = clerk.post(f"{path}/edit", data=sent)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(path)
    assert clerk.post(f"{path}/edit", data=sent).status_code == 302 and event_count(volunteers[0]) == before + 1
    shown_now = staff.get(f"{API}/{volunteer['id']}").get_json()
    assert (shown_now["last_name"], shown_now["phone"], shown_now["birth_date"]) == ("Pigwa-Nowak", None, "1990-05-17")
    assert "Poprawiono dane osobowe." in shown(clerk, path)
    with volunteers[0].read() as session:
        assert "changed" in [e["action"] for e in access.of(session, volunteer["id"])]
    stale = clerk.post(f"{path}/edit", data=sent | other_tab | {"last_name": "Inna"})
    assert stale.status_code == 422 and "Ktoś zmienił te dane" in text(stale)
    cleared = clerk.post(f"{path}/edit", data=hidden_of(shown(clerk, f"{path}/edit")) | sent | {"first_name": ""})
    assert cleared.status_code == 422 and errors_at(cleared.get_data(as_text=True), "first_name")


def test_someone_who_only_reads_cannot_correct_or_mend(reader, staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    path = f"/volunteers/{volunteer['id']}"
    answer = reader.get(f"{path}/edit")
    assert answer.status_code == 403 and volunteer["email"] not in answer.get_data(as_text=True)
    token = csrf(shown(reader, path))
    before = event_count(volunteers[0])
    for action, body in ((f"{path}/edit", {"first_name": "Ala"}),
                         (f"{path}/memberships/{membership['id']}/paperwork", {"accident_insurance": "y"})):
        assert reader.post(action, data={"csrf_token": token} | body).status_code == 403, action
    assert event_count(volunteers[0]) == before
