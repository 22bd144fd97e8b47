"""Every applications endpoint over HTTP (Flask test client, real database), each 4xx included."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from infra.eventstore.tables import events
from tests.support.apps import Client, service_app

CAPS = [{"min_institutions": 2, "max_institutions": 3, "cap": "6000.00"},
        {"min_institutions": 4, "max_institutions": None, "cap": "10000.00"}]


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("apps_api"))


@pytest.fixture
def staff(app):
    return Client(app[1], "applications:write")


def event_count(app) -> int:
    with app[0].runtime.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(events)).scalar()


def open_edition(staff, **overrides):
    body = {"programme": "partnerships", "name": f"Partnerstwa 2021 – tura jesienna {uuid.uuid4().hex[:4]}",
            "year": 2021, "round": "autumn", "kind": "partnership", "mal_required": True, "grant_caps": CAPS,
            "budget": "90000.00", "opens_on": "2021-09-01", "closes_on": "2021-10-31"} | overrides
    response = staff.post("/api/v1/editions", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def library_edition(staff):
    return open_edition(staff, programme="libraries", name=f"Biblioteki 2019 {uuid.uuid4().hex[:4]}", year=2019,
                        round=None, kind="enrolment", mal_required=False, grant_caps=[], budget=None)


def institution(staff, kind="library", district="Ochota", **extra):
    response = staff.post("/api/v1/institutions", json={"name": f"Instytucja {uuid.uuid4().hex[:8]}", "kind": kind,
                                                       "district": district} | extra)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def proposal(staff, edition_id, ids, amount="6000.00"):
    return staff.post("/api/v1/partnerships", json={"edition_id": edition_id, "title": "Sąsiedzi razem",
                                                    "lead_institution_id": ids[0], "institution_ids": ids,
                                                    "requested_amount": amount})


def partnership(staff, edition=None):
    edition = edition or open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff)]
    response = proposal(staff, edition["id"], ids)
    assert response.status_code == 201, response.get_json()
    return response.get_json(), ids


def assert_error(response, status, field=None, rule=None):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["code"] == status and body["message"]
    if field:
        assert field in body["errors"]["json"], body
    if rule:
        assert body["rule"] == rule, body
    return body


# -- editions ---------------------------------------------------------------------------------

def test_an_edition_is_opened_listed_read_and_closed(staff):
    edition = open_edition(staff)
    assert edition["status"] == "open" and edition["grant_caps"] == CAPS and edition["budget"] == "90000.00"
    listed = staff.get("/api/v1/editions?programme=partnerships").get_json()
    assert edition["id"] in [e["id"] for e in listed]
    read = staff.get(f"/api/v1/editions/{edition['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'
    closed = staff.post(f"/api/v1/editions/{edition['id']}/close")
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/close"), 409, rule="edition_closed")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"programme": "sport"}, "programme"),
        ({"round": "winter"}, "round"),
        ({"year": "2021"}, "year"),
        ({"grant_caps": [{"min_institutions": 2, "cap": "-5"}]}, "grant_caps"),
        ({"opens_on": "01.09.2021"}, "opens_on"),
        ({"name": ""}, "name"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_malformed_edition_is_422_naming_the_field_and_stores_nothing(app, staff, overrides, field):
    before = event_count(app)
    body = {"programme": "partnerships", "name": "X", "year": 2021, "kind": "partnership", "grant_caps": CAPS,
            "opens_on": "2021-09-01", "closes_on": "2021-10-31"} | overrides
    assert_error(staff.post("/api/v1/editions", json=body), 422, field=field)
    assert event_count(app) == before


def test_edition_rules_that_break_are_422_with_the_rule(staff):
    assert_error(staff.post("/api/v1/editions", json={
        "programme": "partnerships", "name": "X", "year": 2021, "kind": "partnership", "grant_caps": [],
        "opens_on": "2021-09-01", "closes_on": "2021-10-31"}), 422, field="grant_caps", rule="grant_caps_required")


def test_unknown_editions_are_404(staff):
    missing = uuid.uuid4()
    assert_error(staff.get(f"/api/v1/editions/{missing}"), 404)
    assert_error(staff.post(f"/api/v1/editions/{missing}/close"), 404)
    assert_error(staff.post(f"/api/v1/editions/{missing}/enrolments", json={"institution_id": str(uuid.uuid4())}), 404)
    assert staff.get("/api/v1/editions/not-a-uuid").status_code == 404


def test_writes_need_the_applications_role(staff):
    reader = staff.as_("funding:write")
    assert_error(reader.post("/api/v1/editions", json={}), 403)
    assert_error(reader.post("/api/v1/institutions", json={}), 403)
    assert_error(reader.post("/api/v1/partnerships", json={}), 403)
    assert reader.get("/api/v1/partnerships").status_code == 200


# -- institutions -----------------------------------------------------------------------------

def test_institutions_are_registered_listed_and_read(staff):
    mal_id = institution(staff, kind="social_welfare_centre", district="Praga-Północ", is_mal=True)
    read = staff.get(f"/api/v1/institutions/{mal_id}").get_json()
    assert read["is_mal"] and read["district"] == "Praga-Północ"
    listed = staff.get("/api/v1/institutions?district=Praga-Północ&kind=social_welfare_centre").get_json()
    assert mal_id in [i["id"] for i in listed]
    assert_error(staff.get(f"/api/v1/institutions/{uuid.uuid4()}"), 404)


def test_a_duplicate_name_in_a_district_is_refused_but_allowed_elsewhere(app, staff):
    name = f"Dom Kultury Włochy {uuid.uuid4().hex[:4]}"
    assert staff.post("/api/v1/institutions", json={"name": name, "kind": "culture_house", "district": "Włochy"}).status_code == 201
    before = event_count(app)
    duplicate = staff.post("/api/v1/institutions", json={"name": name.upper(), "kind": "culture_house", "district": "Włochy"})
    assert_error(duplicate, 409, field="name", rule="duplicate_institution")
    assert event_count(app) == before
    assert staff.post("/api/v1/institutions", json={"name": name, "kind": "culture_house", "district": "Ursus"}).status_code == 201


def test_concurrent_registrations_of_one_name_store_exactly_one(app, staff):
    name = f"Biblioteka równoległa {uuid.uuid4().hex[:4]}"
    statuses: list[int] = []
    barrier = threading.Barrier(6)

    def register():
        client = Client(app[1], "applications:write")
        barrier.wait()
        statuses.append(client.post("/api/v1/institutions", json={"name": name, "kind": "library", "district": "Bemowo"}).status_code)

    threads = [threading.Thread(target=register) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(statuses) == [201] + [409] * 5
    assert len([i for i in staff.get("/api/v1/institutions?district=Bemowo").get_json() if i["name"] == name]) == 1


@pytest.mark.parametrize("body, field", [({"name": "X", "kind": "museum", "district": "Wola"}, "kind"),
                                         ({"name": "X", "kind": "library", "district": "Kraków"}, "district"),
                                         ({"kind": "library", "district": "Wola"}, "name")])
def test_a_malformed_institution_is_422_naming_the_field(staff, body, field):
    assert_error(staff.post("/api/v1/institutions", json=body), 422, field=field)


# -- partnerships -----------------------------------------------------------------------------

def test_a_partnership_is_proposed_read_listed_and_has_a_history(staff):
    edition = open_edition(staff)
    created, ids = partnership(staff, edition)
    assert created["status"] == "proposed" and created["mal_status"] == "pending"
    assert created["size"] == 3 and created["requested_amount"] == "6000.00" and created["institution_ids"] == ids
    assert staff.get(f"/api/v1/partnerships/{created['id']}").get_json() == created
    listed = staff.get(f"/api/v1/partnerships?edition_id={edition['id']}").get_json()
    assert [p["id"] for p in listed] == [created["id"]]
    history = staff.get(f"/api/v1/partnerships/{created['id']}/history").get_json()
    assert [(h["sequence"], h["type"], h["actor"]) for h in history] == [(1, "PartnershipProposed", "tester")]
    assert_error(staff.get(f"/api/v1/partnerships/{uuid.uuid4()}"), 404)
    assert_error(staff.get(f"/api/v1/partnerships/{uuid.uuid4()}/history"), 404)


@pytest.mark.parametrize("case, rule, field", [
    ("one_institution", "min_institutions", "institution_ids"),
    ("unknown_institution", "unknown_institution", "institution_ids"),
    ("closed_edition", "edition_closed", "edition_id"),
    ("enrolment_edition", "edition_kind", "edition_id"),
    ("over_cap_small", "grant_cap", "requested_amount"),
    ("over_cap_large", "grant_cap", "requested_amount"),
    ("no_mal", "mal_required", "institution_ids"),
    ("unknown_edition", "unknown_edition", "edition_id"),
    ("lead_outside", "lead_among_partners", "lead_institution_id"),
])
def test_each_proposal_rule_is_a_422_naming_the_rule_and_stores_nothing(app, staff, case, rule, field):
    edition = library_edition(staff) if case == "enrolment_edition" else open_edition(staff)
    if case == "closed_edition":
        staff.post(f"/api/v1/editions/{edition['id']}/close")
    lib, mal, other, fourth = (institution(staff), institution(staff, kind="mal"), institution(staff), institution(staff))
    ids, amount, lead = [lib, mal, other], "6000.00", None
    if case == "one_institution":
        ids = [mal, mal]
    elif case == "unknown_institution":
        ids = [lib, mal, str(uuid.uuid4())]
    elif case == "over_cap_small":
        amount = "6000.01"
    elif case == "over_cap_large":
        ids, amount = [lib, mal, other, fourth], "10000.01"
    elif case == "no_mal":
        ids = [lib, other]
    elif case == "lead_outside":
        lead = fourth
    edition_id = str(uuid.uuid4()) if case == "unknown_edition" else edition["id"]
    before = event_count(app)
    response = staff.post("/api/v1/partnerships", json={
        "edition_id": edition_id, "title": "T", "lead_institution_id": lead or ids[0], "institution_ids": ids,
        "requested_amount": amount})
    assert_error(response, 422, field=field, rule=rule)
    assert event_count(app) == before


def test_a_four_partner_proposal_may_ask_for_ten_thousand(staff):
    edition = open_edition(staff)
    ids = [institution(staff), institution(staff, kind="mal"), institution(staff), institution(staff)]
    assert proposal(staff, edition["id"], ids, "10000.00").status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"requested_amount": "sześć tysięcy"}, "requested_amount"),
    ({"requested_amount": "0"}, "requested_amount"),
    ({"institution_ids": "abc"}, "institution_ids"),
    ({"edition_id": "nope"}, "edition_id"),
])
def test_a_malformed_proposal_is_422_naming_the_field(staff, body, field):
    base = {"edition_id": str(uuid.uuid4()), "title": "T", "lead_institution_id": str(uuid.uuid4()),
            "institution_ids": [str(uuid.uuid4())], "requested_amount": "100.00"}
    assert_error(staff.post("/api/v1/partnerships", json=base | body), 422, field=field)


def test_mal_verification_by_staff_with_if_match(staff):
    created, ids = partnership(staff)
    url = f"/api/v1/partnerships/{created['id']}/mal-verification"
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"7"'}), 409,
                 rule="version_mismatch")
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[0]}), 422, field="institution_id", rule="not_a_mal")
    assert_error(staff.post(url, json={"verified": True, "institution_id": str(uuid.uuid4())}), 422, rule="mal_not_partner")
    assert_error(staff.post(url, json={"verified": False, "institution_id": ids[1]}), 422, field="reason")
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": "abc"}), 400)
    verified = staff.post(url, json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"1"'})
    assert verified.status_code == 200
    assert verified.get_json()["mal_status"] == "verified" and verified.headers["ETag"] == '"2"'
    assert_error(staff.post(url, json={"verified": True, "institution_id": ids[1]}), 409, rule="mal_already_verified")
    assert_error(staff.post(f"/api/v1/partnerships/{uuid.uuid4()}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}), 404)


def test_a_failed_verification_carries_its_reason(staff):
    created, ids = partnership(staff)
    failed = staff.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                        json={"verified": False, "institution_id": ids[1], "reason": "MAL nie potwierdził udziału"})
    assert failed.status_code == 200
    assert failed.get_json()["mal_status"] == "failed" and failed.get_json()["mal_reason"] == "MAL nie potwierdził udziału"


def test_withdrawal_is_final(app, staff):
    created, ids = partnership(staff)
    withdrawn = staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": "Partner zrezygnował"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    before = event_count(app)
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": "x"}), 409, rule="withdrawn")
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}), 409, rule="withdrawn")
    assert event_count(app) == before
    assert_error(staff.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={}), 422, field="reason")
    assert_error(staff.post(f"/api/v1/partnerships/{uuid.uuid4()}/withdraw", json={"reason": "x"}), 404)


def test_concurrent_conflicting_commands_on_one_partnership_one_wins_the_rest_409(app, staff):
    created, ids = partnership(staff)
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def act(i):
        client = Client(app[1], "applications:write")
        barrier.wait()
        if i % 2:
            r = client.post(f"/api/v1/partnerships/{created['id']}/withdraw", json={"reason": f"powód {i}"})
        else:
            r = client.post(f"/api/v1/partnerships/{created['id']}/mal-verification",
                            json={"verified": True, "institution_id": ids[1]}, headers={"If-Match": '"1"'})
        statuses.append(r.status_code)

    threads = [threading.Thread(target=act, args=(i,)) for i in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    history = staff.get(f"/api/v1/partnerships/{created['id']}/history").get_json()
    assert statuses.count(200) == len(history) - 1 >= 1
    assert set(statuses) <= {200, 409}
    assert [h["sequence"] for h in history] == list(range(1, len(history) + 1))


# -- enrolments -------------------------------------------------------------------------------

def test_libraries_enrol_once_in_an_enrolment_edition(app, staff):
    edition = library_edition(staff)
    branch = institution(staff, district="Wola")
    enrolled = staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch})
    assert enrolled.status_code == 201
    assert enrolled.get_json()["institution_id"] == branch and enrolled.get_json()["district"] == "Wola"
    assert [e["institution_id"] for e in staff.get(f"/api/v1/editions/{edition['id']}/enrolments").get_json()] == [branch]
    before = event_count(app)
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch}), 409,
                 rule="already_enrolled")
    assert event_count(app) == before


@pytest.mark.parametrize("case, status, rule", [("partnership_edition", 422, "edition_kind"),
                                                ("closed", 422, "edition_closed"),
                                                ("unknown_institution", 422, "unknown_institution")])
def test_enrolment_rules_over_http(staff, case, status, rule):
    edition = open_edition(staff) if case == "partnership_edition" else library_edition(staff)
    if case == "closed":
        staff.post(f"/api/v1/editions/{edition['id']}/close")
    branch = str(uuid.uuid4()) if case == "unknown_institution" else institution(staff)
    assert_error(staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": branch}), status,
                 rule=rule)
