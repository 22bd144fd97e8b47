"""An enrolment edition's course from its pages: a training for institutions ticked by name, a monitoring visit, a
programme adopted, a withdrawal with its reason, each institution's standing on the edition's page; refusals at their
field in Polish, a double submit applied once, a stale page refused, a reader shown no forms and refused."""

from __future__ import annotations

import re
import uuid

from contracts import vocabulary
from services.applications import course, queries
from services.applications.pages import STAGES, TRAINING_KINDS
from tests.integration.applications.api import library_edition, open_edition
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("anna.kowalska")
reader = signed_in_as("ewa.wisniewska")


def read(app, query, *args):
    with app[0].read() as session:
        return query(session, *args)


def branches(staff, edition_id: str, *names: str) -> list[str]:
    """Libraries registered under `names` (made unique) and enrolled in the edition."""
    ids = []
    for name in names:
        answer = staff.post("/api/v1/institutions", json={"name": f"{name} {uuid.uuid4().hex[:4]}", "kind": "library",
                                                          "district": "Wola"})
        ids.append(answer.get_json()["id"])
        assert staff.post(f"/api/v1/editions/{edition_id}/enrolments", json={"institution_id": ids[-1]}).status_code == 201
    return ids


def trainings(edition_id: str) -> str:
    return f"/editions/{edition_id}/trainings"


def visits(edition_id: str) -> str:
    return f"/editions/{edition_id}/monitoring-visits"


def enrolment(edition_id: str, institution_id: str, what: str = "") -> str:
    return f"/editions/{edition_id}/enrolments/{institution_id}" + (f"/{what}" if what else "")


def test_the_pages_name_every_word_of_the_vocabularies():
    assert set(TRAINING_KINDS) == set(vocabulary.TRAINING_KINDS) and set(STAGES) == set(vocabulary.MONITORING_STAGES)


def test_a_training_is_recorded_once_for_the_institutions_ticked_by_name(app, staff, clerk):
    edition = library_edition(staff)
    first, second, leaving = branches(staff, edition["id"], "Filia nr 75", "Filia nr 12", "Filia nr 3")
    assert staff.post(f"/api/v1/editions/{edition['id']}/enrolments/{leaving}/withdraw",
                      json={"reason": "Remont"}).status_code == 200
    page = shown(clerk, trainings(edition["id"]))
    assert re.search(rf'<input[^>]*type="checkbox"[^>]*value="{first}"', page)
    assert re.search(r'<label for="institution_ids-\d+">Filia nr 75 \w+ \(Wola\)</label>', page)
    assert f'value="{leaving}"' not in page  # a withdrawn institution is not offered
    data = hidden_of(page) | {"kind": "study_visit", "title": "Wizyta w Bibliotece na Koszykowej", "held_on": "2021-09-20",
                              "hours": "4,5", "institution_ids": [first, second]}
    count = event_count(app[0])
    answers = [clerk.post(trainings(edition["id"]), data=data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302] and event_count(app[0]) == count + 1
    [held] = read(app, course.training_list, edition["id"])
    assert (held["kind"], str(held["hours"]), sorted(held["institution_ids"])) == ("study_visit", "4.50", sorted([first, second]))
    page = shown(clerk, answers[0].headers["Location"])
    assert "Zapisano: wizyta studyjna „Wizyta w Bibliotece na Koszykowej”" in page
    assert "20.09.2021" in page and "4,5" in page and "2 instytucje" in page


def test_a_refused_training_shows_each_problem_at_its_field_and_stores_nothing(app, staff, clerk):
    edition = library_edition(staff)
    (member,) = branches(staff, edition["id"], "Filia nr 75")
    page = shown(clerk, trainings(edition["id"]))
    good = hidden_of(page) | {"kind": "training", "title": "Szkolenie", "held_on": "2021-09-20", "hours": "3",
                              "institution_ids": [member]}
    count = event_count(app[0])
    for changes, field, message in ((dict(held_on="2021-08-31"), "held_on", "wcześniejsza niż otwarcie edycji"),
                                    (dict(hours="0"), "hours", "więcej niż 0"),
                                    (dict(hours="dużo"), "hours", "Oczekiwano liczby godzin"),
                                    (dict(title=" "), "title", "wymagane"),
                                    (dict(institution_ids=[]), "institution_ids", "wymagane"),
                                    (dict(institution_ids=[str(uuid.uuid4())]), "institution_ids", "Nie są zgłoszone")):
        answer = clerk.post(trainings(edition["id"]), data=good | changes)
        shown_page = text(answer)
        assert answer.status_code == 422 and any(message in m for m in errors_at(shown_page, field)), (changes, shown_page)
    assert event_count(app[0]) == count
    assert 'value="dużo"' in text(clerk.post(trainings(edition["id"]), data=good | {"hours": "dużo"}))  # shown as typed


def test_a_monitoring_visit_is_recorded_for_an_institution_picked_by_name(app, staff, clerk):
    edition = library_edition(staff)
    (member,) = branches(staff, edition["id"], "Filia nr 75")
    page = shown(clerk, visits(edition["id"]))
    assert re.search(rf'<option value="{member}">Filia nr 75 \w+ \(Wola\)</option>', page)
    refused = clerk.post(visits(edition["id"]), data=hidden_of(page) | {"institution_id": member, "visited_on": "2021-10-04"})
    assert refused.status_code == 422 and errors_at(text(refused), "stage")
    data = hidden_of(page) | {"institution_id": member, "visited_on": "2021-10-04", "stage": "implementation"}
    first, second = clerk.post(visits(edition["id"]), data=data), clerk.post(visits(edition["id"]), data=data)
    assert first.status_code == second.status_code == 302
    [made] = read(app, course.visit_list, edition["id"])
    assert (made["institution_id"], made["stage"]) == (member, "implementation")
    listed = shown(clerk, first.headers["Location"])
    assert "Zapisano wizytę monitorującą" in listed and "04.10.2021" in listed and "wdrażanie" in listed


def test_a_programme_is_marked_adopted_once_and_a_withdrawal_ends_the_forms(app, staff, clerk):
    edition = library_edition(staff)
    (member,) = branches(staff, edition["id"], "Filia nr 75")
    page = shown(clerk, enrolment(edition["id"], member))
    assert "Program wolontariatu przyjęty" in page and "jeszcze nie przyjęty" in page
    action = enrolment(edition["id"], member, "programme")
    data = hidden_of(page, action) | {"adopted_on": "2021-11-30"}
    count = event_count(app[0])
    assert [clerk.post(action, data=data).status_code for _ in range(2)] == [302, 302]
    assert event_count(app[0]) == count + 1
    page = shown(clerk, enrolment(edition["id"], member))
    assert "przyjęty 30.11.2021" in page and f'action="{action}"' not in page  # adopted: no second form
    action = enrolment(edition["id"], member, "withdraw")
    refused = clerk.post(action, data=hidden_of(page, action) | {"reason": "  "})
    assert refused.status_code == 422 and errors_at(text(refused), "reason")
    assert clerk.post(action, data=hidden_of(page, action) | {"reason": "Filia zamknięta na remont"}).status_code == 302
    page = shown(clerk, enrolment(edition["id"], member))
    assert "wycofana" in page and "Filia zamknięta na remont" in page and f'action="{action}"' not in page
    assert f'value="{member}"' not in shown(clerk, visits(edition["id"]))


def test_a_programme_from_a_page_someone_has_since_changed_is_refused(app, staff, clerk):
    edition = library_edition(staff)
    (member,) = branches(staff, edition["id"], "Filia nr 75")
    stale = shown(clerk, enrolment(edition["id"], member))
    assert staff.post(f"/api/v1/editions/{edition['id']}/monitoring-visits",
                      json={"institution_id": member, "visited_on": "2021-10-04", "stage": "planning"}).status_code == 201
    action = enrolment(edition["id"], member, "programme")
    answer = clerk.post(action, data=hidden_of(stale, action) | {"adopted_on": "2021-11-30"})
    assert answer.status_code == 422 and "Ktoś zmienił te dane" in text(answer)
    assert read(app, queries.enrolment, edition["id"], member)["programme_adopted_on"] is None


def test_the_editions_page_shows_where_each_institution_stands(app, staff, clerk):
    edition = library_edition(staff)
    trained, idle, leaving = branches(staff, edition["id"], "Filia nr 75", "Filia nr 12", "Filia nr 3")
    api = f"/api/v1/editions/{edition['id']}"
    assert staff.post(f"{api}/trainings", json={"kind": "meeting", "title": "Spotkanie", "held_on": "2021-09-10",
                                                "hours": "2", "institution_ids": [trained]}).status_code == 201
    assert staff.post(f"{api}/monitoring-visits", json={"institution_id": trained, "visited_on": "2021-10-01",
                                                        "stage": "evaluation"}).status_code == 201
    assert staff.post(f"{api}/enrolments/{trained}/programme", json={"adopted_on": "2021-11-02"}).status_code == 200
    assert staff.post(f"{api}/enrolments/{leaving}/withdraw", json={"reason": "Remont"}).status_code == 200
    page = shown(clerk, f"/editions/{edition['id']}")
    rows = {i: re.search(rf'href="/editions/{edition["id"]}/enrolments/{i}">(.*?)</tr>', page, re.S).group(1)
            for i in (trained, idle, leaving)}
    assert "ewaluacja" in rows[trained] and "przyjęty 02.11.2021" in rows[trained] and "uczestniczy" in rows[trained]
    assert rows[idle].count("brak") == 2 and "uczestniczy" in rows[idle]
    assert "wycofana" in rows[leaving]
    assert re.search(r"Programy wolontariatu przyjęte:</span> 1<", page) and re.search(r"Wycofane instytucje:</span> 1<", page)


def test_a_reader_sees_the_course_without_forms_and_is_refused_posting(app, staff, reader):
    edition = library_edition(staff)
    (member,) = branches(staff, edition["id"], "Filia nr 75")
    for path in (trainings(edition["id"]), visits(edition["id"]), enrolment(edition["id"], member)):
        assert 'method="post"' not in shown(reader, path).split("Wyloguj")[1], path
    token = csrf(shown(reader, trainings(edition["id"])))
    count = event_count(app[0])
    for path, data in ((trainings(edition["id"]), {"kind": "training", "title": "X", "held_on": "2021-09-20", "hours": "1",
                                                   "institution_ids": [member]}),
                       (visits(edition["id"]), {"institution_id": member, "visited_on": "2021-10-04", "stage": "planning"}),
                       (enrolment(edition["id"], member, "programme"), {"adopted_on": "2021-11-30"}),
                       (enrolment(edition["id"], member, "withdraw"), {"reason": "Rezygnacja"})):
        answer = reader.post(path, data={"csrf_token": token} | data)
        assert answer.status_code == 403 and "Brak uprawnień" in text(answer), path
    assert event_count(app[0]) == count


def test_a_partnership_edition_and_an_institution_not_enrolled_have_no_course_pages(app, staff, clerk):
    partnerships = open_edition(staff)
    assert clerk.get(trainings(partnerships["id"])).status_code == 404
    assert clerk.get(visits(partnerships["id"])).status_code == 404
    edition = library_edition(staff)
    assert clerk.get(enrolment(edition["id"], str(uuid.uuid4()))).status_code == 404
    assert clerk.get(trainings(str(uuid.uuid4()))).status_code == 404
