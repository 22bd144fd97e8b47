"""Correcting the register from its page: a "Popraw dane" link per institution, a form prefilled with the institution
as it stands, refusals at their field in Polish, a stale page refused and a double submit applied once."""

from __future__ import annotations

import re
import uuid

from services.applications import queries
from tests.integration.applications.api import institution, open_edition, proposal
from tests.support.apps import event_count
from tests.support.pages import csrf, errors_at, hidden_of, shown, signed_in_as, text

clerk = signed_in_as("anna.kowalska")
reader = signed_in_as("ewa.wisniewska")


def read(app, query, *args):
    with app[0].read() as session:
        return query(session, *args)


def edit(institution_id: str) -> str:
    return f"/institutions/{institution_id}/edit"


def named(staff, name: str, **extra) -> str:
    answer = staff.post("/api/v1/institutions", json={"name": name, "kind": "library", "district": "Ochota"} | extra)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def form_of(page: str, **changes) -> dict[str, str]:
    """The edit form as the page drew it (hidden fields and values), with `changes` typed in."""
    values = {"name": re.search(r'id="name"[^>]*value="([^"]*)"', page).group(1),
              "kind": re.search(r'<option selected value="([^"]+)"', page.split('id="kind"')[1]).group(1),
              "district": re.search(r'<option selected value="([^"]+)"', page.split('id="district"')[1]).group(1)}
    if " checked " in re.search(r'<input[^>]*id="is_mal"[^>]*>', page).group(0):
        values["is_mal"] = "y"
    return hidden_of(page) | values | changes


def test_the_register_links_each_institution_to_its_prefilled_correction_for_clerks_only(app, staff, clerk, reader):
    name = f"Biblioteka Publiczna {uuid.uuid4().hex[:6]}"
    institution_id = named(staff, name, kind="social_welfare_centre", district="Wawer", is_mal=True)
    register = shown(clerk, f"/institutions?nazwa={name}")
    assert f'href="{edit(institution_id)}" aria-label="Popraw dane: {name}">Popraw dane</a>' in register
    assert "Popraw dane" not in shown(reader, f"/institutions?nazwa={name}")
    page = shown(clerk, edit(institution_id))
    assert "Popraw dane instytucji" in page and '<label for="name">Nazwa instytucji</label>' in page
    assert form_of(page) == hidden_of(page) | {"name": name, "kind": "social_welfare_centre", "district": "Wawer", "is_mal": "y"}
    assert hidden_of(page)["version"] == "1"
    assert 'method="post"' not in shown(reader, edit(institution_id)).split("Wyloguj")[1]


def test_a_correction_from_the_page_is_applied_once_however_often_it_is_sent(app, staff, clerk):
    institution_id = institution(staff, district="Wola")
    data = form_of(shown(clerk, edit(institution_id)), name="Biblioteka na Kole", district="Bemowo")
    count = event_count(app[0])
    first, second = clerk.post(edit(institution_id), data=data), clerk.post(edit(institution_id), data=data)
    assert first.status_code == second.status_code == 302 and "nazwa=Biblioteka" in first.headers["Location"]
    assert event_count(app[0]) == count + 1
    stored = read(app, queries.institution, institution_id)
    assert (stored["name"], stored["district"], stored["version"]) == ("Biblioteka na Kole", "Bemowo", 2)
    assert "Poprawiono dane instytucji „Biblioteka na Kole”" in shown(clerk, first.headers["Location"])


def test_a_page_someone_has_since_changed_is_refused_and_not_applied(app, staff, clerk):
    institution_id = institution(staff)
    stale = form_of(shown(clerk, edit(institution_id)), kind="school")
    assert staff.patch(f"/api/v1/institutions/{institution_id}", json={"kind": "ngo"}, headers={"If-Match": '"1"'}).status_code == 200
    answer = clerk.post(edit(institution_id), data=stale)
    assert answer.status_code == 422 and "Ktoś zmienił te dane" in text(answer)
    assert read(app, queries.institution, institution_id)["kind"] == "ngo"


def test_refusals_land_at_their_field_and_store_nothing(app, staff, clerk):
    taken = f"Dom Kultury {uuid.uuid4().hex[:6]}"
    named(staff, taken, kind="culture_house")
    institution_id = institution(staff, kind="culture_house")
    page = shown(clerk, edit(institution_id))
    count = event_count(app[0])
    for changes, field, message in ((dict(name="  "), "name", "Podaj tekst"),
                                    (dict(name=taken.upper()), "name", f"W dzielnicy Ochota jest już instytucja „{taken}”"),
                                    (dict(kind="mal"), "is_mal", "z definicji"),
                                    (dict(kind="zamek"), "kind", "Dozwolone wartości")):
        answer = clerk.post(edit(institution_id), data=form_of(page, **changes))
        shown_page = text(answer)
        assert answer.status_code == 422 and any(message in m for m in errors_at(shown_page, field)), (changes, shown_page)
        assert f'aria-describedby="{field}-errors"' in shown_page
    assert event_count(app[0]) == count


def test_sending_the_form_unchanged_says_so_and_stores_nothing(app, staff, clerk):
    institution_id = institution(staff)
    count = event_count(app[0])
    answer = clerk.post(edit(institution_id), data=form_of(shown(clerk, edit(institution_id))))
    assert answer.status_code == 302 and "niczego nie zmieniono" in shown(clerk, answer.headers["Location"])
    assert event_count(app[0]) == count


def test_a_reader_posting_gets_403_and_an_unknown_institution_404(app, staff, clerk, reader):
    institution_id = institution(staff)
    count = event_count(app[0])
    page = shown(reader, edit(institution_id))
    answer = reader.post(edit(institution_id), data={"csrf_token": csrf(page), "name": "Nowa nazwa", "kind": "library",
                                                     "district": "Ochota"})
    assert answer.status_code == 403 and "Brak uprawnień" in text(answer)
    assert event_count(app[0]) == count
    assert clerk.get(edit(str(uuid.uuid4()))).status_code == 404


def test_a_proposals_page_offers_the_mal_it_was_judged_on_after_a_correction(app, staff, clerk):
    edition = open_edition(staff)
    centre = institution(staff, kind="social_welfare_centre", is_mal=True)
    partnership = proposal(staff, edition["id"], [institution(staff), centre]).get_json()
    data = form_of(shown(clerk, edit(centre)))
    data.pop("is_mal")  # unticked
    assert clerk.post(edit(centre), data=data).status_code == 302
    assert read(app, queries.institution, centre)["is_mal"] is False
    page = shown(clerk, f"/partnerships/{partnership['id']}")
    action = f"/partnerships/{partnership['id']}/mal"
    assert re.search(rf'<option[^>]*value="{centre}"', page)
    assert clerk.post(action, data=hidden_of(page, action) | {"institution_id": centre, "verified": "true"}).status_code == 302
    assert read(app, queries.partnership, partnership["id"])["mal_status"] == "verified"
