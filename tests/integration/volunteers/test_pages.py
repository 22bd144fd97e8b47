"""The volunteers pages: find, register, join, leave and erase from the browser, through the API's commands and rules.

Personal data shows only to volunteers:write; a person who only reads gets a 403 page (or, on a volunteer's
page, the memberships alone) and a 403 on every form.
"""

from __future__ import annotations

import uuid

from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import institution_registered, learn
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("marek.nowak", "volunteers")
reader = signed_in_as("ewa.wisniewska", "volunteers")


def person_form(**overrides) -> dict[str, str]:
    return {"first_name": "Łucja", "last_name": "Wiśniewska", "email": f"lucja.{uuid.uuid4().hex[:8]}@example.pl",
            "phone": "+48 600 100 200"} | overrides


# -- finding -------------------------------------------------------------------
def test_the_list_finds_volunteers_by_name_or_email_and_by_institution_and_edition(clerk, staff, known):
    marker = uuid.uuid4().hex[:6]
    joined = register(staff, last_name=f"Pigwa{marker}")
    other = register(staff, last_name=f"Pigwa{marker}x", email=f"inna.{marker}@example.pl")
    assert join(staff, joined["id"], known).status_code == 201
    answer = clerk.get("/", query_string={"szukaj": f"pigwa{marker}"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert "<h1>Wolontariusze</h1>" in page and 'href="/volunteers/new"' in page
    assert joined["email"] in page and other["email"] in page and "2 osoby" in page
    by_mail = shown(clerk, f"/?szukaj=INNA.{marker}")
    assert other["email"] in by_mail and joined["email"] not in by_mail
    scoped = shown(clerk, f"/?szukaj={marker}&instytucja={known.institution_id}&edycja={known.edition_id}")
    assert joined["email"] in scoped and other["email"] not in scoped
    assert "Biblioteka Publiczna Wola</option>" in scoped and "Partnerstwa 2021 – tura jesienna</option>" in scoped


# -- registering ---------------------------------------------------------------
def test_registering_through_the_form_seals_the_person_and_a_second_click_does_nothing(clerk, staff, volunteers):
    service = volunteers[0]
    hidden = hidden_of(shown(clerk, "/volunteers/new"))
    body = person_form()
    before = event_count(service)
    answer = clerk.post("/volunteers/new", data=hidden | body)
    assert answer.status_code == 302 and event_count(service) == before + 1
    volunteer_id = answer.headers["Location"].rsplit("/", 1)[1]
    assert staff.get(f"{API}/{volunteer_id}").get_json()["email"] == body["email"]
    again = clerk.post("/volunteers/new", data=hidden | body)
    assert again.headers["Location"] == answer.headers["Location"] and event_count(service) == before + 1
    page = shown(clerk, answer.headers["Location"])
    assert "Łucja Wiśniewska</h1>" in page and body["email"] in page and "Zarejestrowano wolontariusza." in page


def test_a_taken_email_is_refused_at_its_field_in_polish_and_nothing_is_stored(clerk, staff, volunteers):
    holder = register(staff)
    before = event_count(volunteers[0])
    answer = clerk.post("/volunteers/new", data=hidden_of(shown(clerk, "/volunteers/new"))
                        | person_form(email=holder["email"]))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and event_count(volunteers[0]) == before
    [message] = errors_at(page, "email")
    assert "Ten adres e-mail ma już wolontariusz" in message
    assert f'href="/volunteers/{holder["id"]}">Otwórz wpis osoby z tym adresem e-mail' in page


def test_the_schemas_own_messages_show_at_their_fields(clerk):
    answer = clerk.post("/volunteers/new", data=hidden_of(shown(clerk, "/volunteers/new"))
                        | person_form(email="nie-adres", phone="abc"))
    page = answer.get_data(as_text=True)
    [email], [phone] = errors_at(page, "email"), errors_at(page, "phone")
    assert answer.status_code == 422 and "Podaj poprawny adres e-mail" in email
    assert "Podaj numer telefonu" in phone


# -- joining and leaving -----------------------------------------------------------
def joining(known, **overrides) -> dict[str, str]:
    return {"institution_id": known.institution_id, "edition_id": known.edition_id, "partnership_id": "",
            "joined_on": "2021-10-01"} | overrides


def test_joining_from_the_page_adds_a_membership_once_however_often_it_is_sent(clerk, staff, known, volunteers):
    volunteer = register(staff)
    path = f"/volunteers/{volunteer['id']}"
    page = shown(clerk, path)
    assert "Biblioteka Publiczna Wola</option>" in page and "Brak członkostw." in page
    hidden = hidden_of(page, f"{path}/join")
    before = event_count(volunteers[0])
    sent = joining(known, partnership_id=known.partnership_id)
    answer = clerk.post(f"{path}/join", data=hidden | sent)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(path)
    assert clerk.post(f"{path}/join", data=hidden | sent).status_code == 302  # a double click
    assert event_count(volunteers[0]) == before + 1
    memberships = staff.get(f"{API}/{volunteer['id']}/memberships").get_json()
    assert [(m["institution_id"], m["partnership_id"]) for m in memberships] == [(known.institution_id, known.partnership_id)]
    after = shown(clerk, path)
    assert "01.10.2021" in after and "trwa" in after and "Dodano członkostwo." in after


def test_an_institution_outside_the_edition_is_refused_at_its_field(clerk, staff, known, volunteers):
    service = volunteers[0]
    outside = institution_registered(name="Szkoła Podstawowa nr 12")
    learn(service, outside)
    volunteer = register(staff)
    path = f"/volunteers/{volunteer['id']}"
    before = event_count(service)
    answer = clerk.post(f"{path}/join", data=hidden_of(shown(clerk, path), f"{path}/join")
                        | joining(known, institution_id=outside.institution_id))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and event_count(service) == before
    [message] = errors_at(page, "institution_id")
    assert "Instytucja „Szkoła Podstawowa nr 12” nie bierze udziału w edycji" in message
    assert f'<option selected value="{outside.institution_id}">' in page  # what was picked stays picked


def test_a_form_drawn_before_another_change_is_refused_as_stale(clerk, staff, known, volunteers):
    volunteer = register(staff)
    path = f"/volunteers/{volunteer['id']}"
    hidden = hidden_of(shown(clerk, path), f"{path}/join")
    assert join(staff, volunteer["id"], known).status_code == 201  # someone else, meanwhile
    before = event_count(volunteers[0])
    answer = clerk.post(f"{path}/join", data=hidden | joining(known, institution_id=known.other_institution_id))
    assert answer.status_code == 422 and event_count(volunteers[0]) == before
    assert "Ktoś zmienił te dane, gdy strona była otwarta" in text(answer)


def test_leaving_ends_the_membership_and_a_day_before_joining_is_refused_at_its_field(clerk, staff, known):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    path = f"/volunteers/{volunteer['id']}"
    action = f"{path}/memberships/{membership['id']}/leave"
    prefix = f"m{membership['id'][:8]}-"
    refused = clerk.post(action, data=hidden_of(shown(clerk, path), action) | {f"{prefix}left_on": "2021-09-01"})
    assert refused.status_code == 422
    [message] = errors_at(refused.get_data(as_text=True), f"{prefix}left_on")
    assert "nie może być wcześniejsza niż data dołączenia" in message
    answer = clerk.post(action, data=hidden_of(shown(clerk, path), action) | {f"{prefix}left_on": "2021-12-31"})
    assert answer.status_code == 302
    assert staff.get(f"{API}/{volunteer['id']}/memberships").get_json()[0]["left_on"] == "2021-12-31"
    page = shown(clerk, path)
    assert "31.12.2021" in page and action not in page  # an ended membership has no form to end it


# -- erasure -----------------------------------------------------------------------
def test_erasure_asks_first_and_a_get_never_erases(clerk, staff):
    volunteer = register(staff)
    page = shown(clerk, f"/volunteers/{volunteer['id']}/erase")
    assert "klucz, którym zaszyfrowano dane tej osoby, zostanie zniszczony" in page
    assert "w historii zdarzeń" in page and "tego nie można cofnąć" in page and "zostaną" in page
    assert staff.get(f"{API}/{volunteer['id']}").get_json()["erased"] is False
    without_token = clerk.post(f"/volunteers/{volunteer['id']}/erase", data={})
    assert without_token.status_code == 400 and staff.get(f"{API}/{volunteer['id']}").get_json()["erased"] is False


def test_confirming_erases_the_person_and_their_page_shows_it(clerk, staff, known, volunteers):
    volunteer = register(staff)
    assert join(staff, volunteer["id"], known).status_code == 201
    path = f"/volunteers/{volunteer['id']}"
    hidden = hidden_of(shown(clerk, f"{path}/erase"))
    answer = clerk.post(f"{path}/erase", data=hidden)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(path)
    events = event_count(volunteers[0])
    assert clerk.post(f"{path}/erase", data=hidden).status_code == 302 and event_count(volunteers[0]) == events
    assert staff.get(f"{API}/{volunteer['id']}").get_json()["erased"] is True
    page = shown(clerk, path)
    assert "Dane usunięte (RODO)</h1>" in page and volunteer["email"] not in page and "Pigwa" not in page
    assert "Biblioteka Publiczna Wola" in page  # memberships stay
    assert f"{path}/join" not in page and "Nie ma czego usuwać ponownie." in shown(clerk, f"{path}/erase")


# -- who may see and do what ------------------------------------------------------
def test_someone_who_only_reads_sees_no_personal_data_anywhere_and_cannot_post(reader, staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    path = f"/volunteers/{volunteer['id']}"
    for denied in ("/", f"/?szukaj={volunteer['email']}", "/volunteers/new", f"{path}/erase"):
        answer = reader.get(denied)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 403 and "volunteers:write" in page and volunteer["email"] not in page, denied
    answer = reader.get(path)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Biblioteka Publiczna Wola" in page
    assert volunteer["email"] not in page and "Genowefa" not in page and "Pigwa" not in page
    assert "<form" not in page.replace('action="/signout"', "").split("</header>")[1]  # no write forms
    token = csrf(page)
    before = event_count(volunteers[0])
    posts = {"/volunteers/new": person_form(), f"{path}/join": joining(known), f"{path}/erase": {},
             f"{path}/memberships/{membership['id']}/leave": {"left_on": "2021-12-31"}}
    for action, body in posts.items():
        assert reader.post(action, data={"csrf_token": token} | body).status_code == 403, action
    assert event_count(volunteers[0]) == before


def test_an_unknown_volunteer_is_a_polish_404_page(clerk):
    answer = clerk.get(f"/volunteers/{uuid.uuid4()}")
    assert answer.status_code == 404 and "Nie ma takiego wolontariusza" in answer.get_data(as_text=True)
