"""The applications pages: editions, proposals, the MAL worklist and enrolments, run from forms through the API's commands.

Every write goes through the same schema, handler and rules as the API: a refusal lands at its field in Polish
and stores nothing, a second submit of one form does nothing twice, a stale page is refused; a person who only
reads sees no forms and gets a 403 page when posting anyway.
"""

from __future__ import annotations

import re

from services.applications import queries
from tests.integration.applications.api import institution, library_edition, open_edition, proposal
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("anna.kowalska")
reader = signed_in_as("ewa.wisniewska")


def edition_form(**overrides) -> dict[str, str]:
    return {"programme": "partnerships", "name": "Partnerstwa 2022 – tura wiosenna", "year": "2022", "round": "spring",
            "kind": "partnership", "mal_required": "y", "budget": "90 000,00 zł",
            "grant_caps-0-min_institutions": "2", "grant_caps-0-max_institutions": "3", "grant_caps-0-cap": "6 000,00",
            "grant_caps-1-min_institutions": "4", "grant_caps-1-max_institutions": "", "grant_caps-1-cap": "10\u00a0000",
            "opens_on": "2022-03-01", "closes_on": "2022-04-30"} | overrides


def read(app, query, *args):
    with app[0].read() as session:
        return query(session, *args)


def test_every_page_speaks_polish_to_a_signed_in_clerk(app, staff, clerk):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff)]
    partnership = proposal(staff, edition["id"], ids).get_json()
    libraries = library_edition(staff)
    expected = {"/": "Pulpit", "/editions": "Edycje programów", "/editions/new": "Otwórz edycję programu",
                f"/editions/{edition['id']}": "Limity dofinansowania według wielkości partnerstwa",
                f"/editions/{edition['id']}/propose": "Złóż wniosek partnerstwa",
                f"/partnerships/{partnership['id']}": "Weryfikacja MAL", "/mal": "MAL do weryfikacji",
                f"/editions/{libraries['id']}": "Zgłoszone instytucje", "/institutions": "Rejestr instytucji"}
    for path, heading in expected.items():
        page = shown(clerk, path)
        assert heading in page and '<html lang="pl">' in page, path
    assert "6 000,00 zł" in shown(clerk, f"/editions/{edition['id']}")


def test_the_start_page_counts_the_mal_checks_waiting(app, staff, clerk):
    edition = open_edition(staff)
    before = read(app, queries.desk)["mal_pending"]
    proposal(staff, edition["id"], [institution(staff), institution(staff, kind="mal")])
    page = shown(clerk, "/")
    assert before + 1 == read(app, queries.desk)["mal_pending"]
    assert re.search(rf'MAL do weryfikacji</span>\s*<span class="figure-value">{before + 1}<', page)


def test_a_reader_sees_no_write_forms_and_gets_403_for_posting(app, staff, reader):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal")]
    partnership = proposal(staff, edition["id"], ids).get_json()
    assert "Otwórz edycję</a>" not in shown(reader, "/editions")
    assert 'method="post"' not in shown(reader, "/editions/new").split("Wyloguj")[1]
    page = shown(reader, f"/partnerships/{partnership['id']}")
    assert "Weryfikacja MAL" not in page and "Wycofaj wniosek" not in page
    token = csrf(page)  # the sign-out form's: readers have no other
    count = event_count(app[0])
    for path, data in (("/editions/new", edition_form()),
                       (f"/partnerships/{partnership['id']}/withdraw", {"reason": "Rezygnacja"}),
                       (f"/partnerships/{partnership['id']}/mal", {"verified": "true", "institution_id": ids[1]}),
                       (f"/editions/{edition['id']}/close", {})):
        answer = reader.post(path, data={"csrf_token": token} | data)
        assert answer.status_code == 403 and "Brak uprawnień" in answer.get_data(as_text=True), path
    assert event_count(app[0]) == count


def test_opening_an_edition_reads_money_as_people_type_it(app, clerk):
    form = hidden_of(shown(clerk, "/editions/new"))
    answer = clerk.post("/editions/new", data=form | edition_form(name="Partnerstwa 2022 – wiosna A"))
    assert answer.status_code == 302
    edition_id = answer.headers["Location"].rsplit("/", 1)[1]
    edition = read(app, queries.edition, edition_id)
    assert str(edition["budget"]) == "90000.00" and edition["mal_required"] and edition["round"] == "spring"
    assert edition["grant_caps"] == [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
                                     {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]
    assert "Otwarto edycję „Partnerstwa 2022 – wiosna A”" in shown(clerk, answer.headers["Location"])


def test_an_edition_refused_by_its_rules_shows_where_and_stores_nothing(app, clerk):
    form = hidden_of(shown(clerk, "/editions/new"))
    count = event_count(app[0])
    answer = clerk.post("/editions/new", data=form | edition_form(closes_on="2022-02-01", **{"grant_caps-1-cap": "dużo"}))
    page = text(answer)
    [message] = errors_at(page, "grant_caps-1-cap")
    assert answer.status_code == 422 and "Oczekiwano kwoty w złotych" in message
    answer = clerk.post("/editions/new", data=form | edition_form(closes_on="2022-02-01"))
    page = text(answer)
    [message] = errors_at(page, "closes_on")
    assert answer.status_code == 422 and "nie może być wcześniejsza" in message
    answer = clerk.post("/editions/new", data=form | edition_form(**{"grant_caps-1-min_institutions": "3"}))
    page = text(answer)
    [message] = errors_at(page, "caps")
    assert answer.status_code == 422 and "nakładają się" in message
    answer = clerk.post("/editions/new", data=form | edition_form(year="20x2", **{"grant_caps-0-min_institutions": " 2a"}))
    page = text(answer)
    assert answer.status_code == 422 and errors_at(page, "year") and errors_at(page, "grant_caps-0-min_institutions")
    assert 'value="20x2"' in answer.get_data(as_text=True)  # what was typed comes back to be mended
    assert event_count(app[0]) == count


def test_a_proposal_over_the_cap_is_refused_at_the_amount(app, staff, clerk):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal")]
    page = shown(clerk, f"/editions/{edition['id']}/propose")
    count = event_count(app[0])
    answer = clerk.post(f"/editions/{edition['id']}/propose", data=hidden_of(page) | {
        "title": "Za drogo", "institution_ids": ids, "lead_institution_id": ids[0], "requested_amount": "6 000,01 zł"})
    page = text(answer)
    [message] = errors_at(page, "requested_amount")
    assert answer.status_code == 422 and "6 000,00 zł" in message
    assert 'value="6 000,01 zł"' in page  # shown back as typed
    assert event_count(app[0]) == count


def test_a_proposal_sent_twice_is_made_once(app, staff, clerk):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff)]
    page = shown(clerk, f"/editions/{edition['id']}/propose")
    data = hidden_of(page) | {"title": "Sąsiedzi razem", "institution_ids": ids, "lead_institution_id": ids[1],
                              "requested_amount": "5 500,50"}
    first = clerk.post(f"/editions/{edition['id']}/propose", data=data)
    second = clerk.post(f"/editions/{edition['id']}/propose", data=data)
    assert first.status_code == second.status_code == 302
    made = read(app, queries.partnership_list, edition["id"])
    assert len(made) == 1 and str(made[0]["requested_amount"]) == "5500.50" and made[0]["lead_institution_id"] == ids[1]
    assert first.headers["Location"].endswith(f"/partnerships/{made[0]['id']}")


def test_the_mal_worklist_verifies_one_and_refuses_another_with_a_reason(app, staff, clerk):
    edition = open_edition(staff)
    mal = [institution(staff, kind="mal"), institution(staff, kind="mal")]
    first = proposal(staff, edition["id"], [institution(staff), mal[0]]).get_json()
    second = proposal(staff, edition["id"], [institution(staff), mal[1]]).get_json()
    listed = shown(clerk, f"/mal?edycja={edition['id']}")
    assert f"/partnerships/{first['id']}" in listed and f"/partnerships/{second['id']}" in listed
    page = shown(clerk, f"/partnerships/{first['id']}")
    action = f"/partnerships/{first['id']}/mal"
    assert clerk.post(action, data=hidden_of(page, action) | {"institution_id": mal[0], "verified": "true"}).status_code == 302
    page = shown(clerk, f"/partnerships/{second['id']}")
    action = f"/partnerships/{second['id']}/mal"
    refused = clerk.post(action, data=hidden_of(page, action) | {"institution_id": mal[1], "verified": "false"})
    [message] = errors_at(text(refused), "reason")
    assert refused.status_code == 422 and "Podaj powód" in message
    done = clerk.post(action, data=hidden_of(page, action) | {"institution_id": mal[1], "verified": "false",
                                                                "reason": "MAL nie działa od 2020 r."})
    assert done.status_code == 302 and done.headers["Location"].endswith("/mal")
    assert read(app, queries.partnership, first["id"])["mal_status"] == "verified"
    assert read(app, queries.partnership, second["id"])["mal_reason"] == "MAL nie działa od 2020 r."
    assert f"/partnerships/{first['id']}" not in shown(clerk, f"/mal?edycja={edition['id']}")


def test_a_withdrawal_from_a_stale_page_is_refused(app, staff, clerk):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal")]
    partnership = proposal(staff, edition["id"], ids).get_json()
    stale = shown(clerk, f"/partnerships/{partnership['id']}")
    mal = f"/partnerships/{partnership['id']}/mal"
    assert clerk.post(mal, data=hidden_of(stale, mal) | {"institution_id": ids[1], "verified": "true"}).status_code == 302
    action = f"/partnerships/{partnership['id']}/withdraw"
    answer = clerk.post(action, data=hidden_of(stale, action) | {"reason": "Rezygnacja partnera"})
    assert answer.status_code == 422 and "Ktoś zmienił te dane" in text(answer)
    assert read(app, queries.partnership, partnership["id"])["status"] == "proposed"
    fresh = shown(clerk, f"/partnerships/{partnership['id']}")
    assert clerk.post(action, data=hidden_of(fresh, action) | {"reason": "Rezygnacja partnera"}).status_code == 302
    assert read(app, queries.partnership, partnership["id"])["withdrawn_reason"] == "Rezygnacja partnera"


def test_closing_an_edition_needs_the_version_the_page_showed(app, staff, clerk):
    edition = open_edition(staff)
    action = f"/editions/{edition['id']}/close"
    form = hidden_of(shown(clerk, f"/editions/{edition['id']}"), action)
    answer = clerk.post(action, data=form | {"version": str(edition["version"] + 1)})
    assert answer.status_code == 422 and "Ktoś zmienił te dane" in text(answer)
    assert clerk.post(action, data=form).status_code == 302
    assert read(app, queries.edition, edition["id"])["status"] == "closed"
    assert "Złóż wniosek partnerstwa</a>" not in shown(clerk, f"/editions/{edition['id']}")


def test_enrolment_offers_only_the_kinds_the_programme_takes(app, staff, clerk):
    edition = library_edition(staff)
    library = institution(staff, kind="library")
    school = institution(staff, kind="school")
    page = shown(clerk, f"/editions/{edition['id']}")
    assert f'value="{library}"' in page and f'value="{school}"' not in page
    action = f"/editions/{edition['id']}/enrolments"
    refused = clerk.post(action, data=hidden_of(page, action) | {"institution_id": school})  # the domain still says no
    [message] = errors_at(text(refused), "institution_id")
    assert refused.status_code == 422 and "tylko biblioteki" in message
    assert clerk.post(action, data=hidden_of(page, action) | {"institution_id": library}).status_code == 302
    assert [e["institution_id"] for e in read(app, queries.enrolment_list, edition["id"])] == [library]
    assert f'value="{library}"' not in shown(clerk, f"/editions/{edition['id']}")
