"""Paperwork over HTTP on a real database: a birth date kept sealed, a minor's consent, what a membership misses,
mending it (PATCH …/paperwork with If-Match), and the volunteers' list filtered by what is missing."""

from __future__ import annotations

import datetime
import itertools

from sqlalchemy import select

from services.volunteers import clock, compliance
from services.volunteers.domain.paperwork import MISSING, long_from
from services.volunteers.readmodel import memberships
from services.volunteers.readmodel import volunteers as volunteer_rows
from tests.integration.volunteers.api import API, join, register
from tests.integration.volunteers.conftest import uid
from tests.support.apps import event_count

TODAY = clock.today()  # what the service's clock says: memberships below are dated from it


def days_ago(n: int) -> str:
    return (TODAY - datetime.timedelta(days=n)).isoformat()


def codes(membership: dict) -> list[str]:
    return [m["code"] for m in membership["compliance"]]


def test_a_birth_date_is_kept_sealed_and_a_minor_joins_only_with_the_guardians_consent(staff, known, volunteers):
    born = datetime.date(TODAY.year - 16, 1, 1)  # 15 or 16 years old
    volunteer = register(staff, birth_date=born.isoformat())
    assert volunteer["birth_date"] == born.isoformat()
    with volunteers[0].read() as session:
        sealed = session.execute(select(volunteer_rows.c.birth_date).where(volunteer_rows.c.id == volunteer["id"])).scalar()
    assert sealed.startswith("v1.") and born.isoformat() not in sealed
    before = event_count(volunteers[0])
    refused = join(staff, volunteer["id"], known, joined_on=days_ago(3))
    assert refused.status_code == 422 and refused.get_json()["rule"] == "guardian_consent_required"
    assert "guardian_consent" in refused.get_json()["errors"]["json"] and event_count(volunteers[0]) == before
    joined = join(staff, volunteer["id"], known, joined_on=days_ago(3), guardian_consent=True)
    assert joined.status_code == 201
    membership = joined.get_json()
    assert (membership["minor"], membership["guardian_consent"], codes(membership)) == (True, True, ["insurance_missing"])


def test_paperwork_given_on_joining_leaves_nothing_missing(staff, known):
    volunteer = register(staff)
    long = join(staff, volunteer["id"], known, joined_on=days_ago(60), agreement_signed_on=days_ago(60)).get_json()
    short = join(staff, volunteer["id"], known, institution_id=known.other_institution_id, joined_on=days_ago(5),
                 accident_insurance=True).get_json()
    assert codes(long) == [] and codes(short) == [] and long["agreement_signed_on"] == days_ago(60)


def test_mending_needs_the_version_it_was_read_at_and_changes_only_what_it_names(staff, known, volunteers):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known, joined_on=days_ago(40)).get_json()
    assert codes(membership) == ["agreement_missing"]
    path = f"{API}/{volunteer['id']}/memberships/{membership['id']}/paperwork"
    before = event_count(volunteers[0])
    assert staff.patch(path, json={"agreement_signed_on": days_ago(39)}).status_code == 428
    stale = staff.patch(path, json={"agreement_signed_on": days_ago(39)}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409 and stale.get_json()["rule"] == "version_mismatch"
    assert event_count(volunteers[0]) == before
    etag = staff.get(f"{API}/{volunteer['id']}").headers["ETag"]
    mended = staff.patch(path, json={"agreement_signed_on": days_ago(39)}, headers={"If-Match": etag})
    assert mended.status_code == 200 and codes(mended.get_json()) == [] and event_count(volunteers[0]) == before + 1
    assert mended.get_json()["accident_insurance"] is False
    same = staff.patch(path, json={"agreement_signed_on": days_ago(39)}, headers={"If-Match": "*"})
    assert same.status_code == 200 and event_count(volunteers[0]) == before + 1  # nothing changed, nothing recorded
    for body, field in (({}, None), ({"agreement_signed_on": None}, "agreement_signed_on"),
                        ({"accident_insurance": "tak"}, "accident_insurance"), ({"minor": True}, "minor")):
        refused = staff.patch(path, json=body, headers={"If-Match": "*"})
        assert refused.status_code == 422, body
        assert field is None and refused.get_json()["rule"] == "nothing_to_change" or field in refused.get_json()["errors"]["json"]
    future = staff.patch(path, json={"agreement_signed_on": (TODAY + datetime.timedelta(days=2)).isoformat()},
                         headers={"If-Match": "*"})
    assert future.status_code == 422 and future.get_json()["rule"] == "agreement_in_future"
    assert staff.as_("reporting:read").patch(path, json={"accident_insurance": True}, headers={"If-Match": "*"}).status_code == 403


def test_the_list_filters_by_what_is_missing_within_the_place_asked_for(staff, known):
    lacking, mended, short = register(staff), register(staff), register(staff)
    join(staff, lacking["id"], known, joined_on=days_ago(45))
    join(staff, mended["id"], known, joined_on=days_ago(45), agreement_signed_on=days_ago(45))
    join(staff, short["id"], known, joined_on=days_ago(10))
    found = staff.get(f"{API}?missing=agreement_missing&institution_id={known.institution_id}&limit=1000").get_json()
    ids = {v["id"] for v in found}
    assert lacking["id"] in ids and mended["id"] not in ids and short["id"] not in ids
    insured = {v["id"] for v in staff.get(f"{API}?missing=insurance_missing&limit=1000").get_json()}
    assert short["id"] in insured and lacking["id"] not in insured
    elsewhere = staff.get(f"{API}?missing=agreement_missing&institution_id={known.other_institution_id}&limit=1000")
    assert lacking["id"] not in {v["id"] for v in elsewhere.get_json()}
    assert staff.delete(f"{API}/{lacking['id']}").status_code == 204
    assert lacking["id"] not in {v["id"] for v in staff.get(f"{API}?missing=agreement_missing&limit=1000").get_json()}
    wrong = staff.get(f"{API}?missing=agreement")
    assert wrong.status_code == 422 and "missing" in wrong.get_json()["errors"]["query"]


def test_the_lists_sql_says_what_the_domain_says_for_every_kind_of_membership(either_database):
    """`compliance.lacking` is `domain.paperwork.compliance` in SQL: on SQLite and PostgreSQL, on every boundary."""
    from tests.support.apps import service_app

    service, _ = service_app("volunteers", either_database)
    today = datetime.date(2021, 12, 1)
    joined_days = (-3, 0, 29, 30, 31, 400)
    left_days = (None, 0, 29, 30, 31)  # days after joining
    rows = []
    for ago, left, agreement, insurance, minor, consent in itertools.product(
            joined_days, left_days, (None, datetime.date(2021, 1, 1)), (False, True), (False, True), (False, True)):
        joined_on = today - datetime.timedelta(days=ago)
        rows.append({"id": uid(), "volunteer_id": uid(), "institution_id": uid(), "edition_id": uid(),
                     "joined_on": joined_on, "left_on": None if left is None else joined_on + datetime.timedelta(days=left),
                     "joined_at": datetime.datetime.now(datetime.timezone.utc), "agreement_signed_on": agreement,
                     "accident_insurance": insurance, "minor": minor, "guardian_consent": consent,
                     "long_from": long_from(joined_on)})  # as the projection writes it
    with service.read() as session:
        session.execute(memberships.insert(), rows)
        for code in MISSING:
            in_sql = set(session.execute(select(memberships.c.id).where(
                memberships.c.id.in_([r["id"] for r in rows]), compliance.lacking(code, today))).scalars())
            in_domain = {r["id"] for r in rows if code in [m["code"] for m in compliance.compliance(r, today)]}
            assert in_sql == in_domain, code
            assert in_domain  # every code occurs in the grid
        session.rollback()
