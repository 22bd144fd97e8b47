"""The volunteers API erasing personal data on a real database: what stays, what goes, repeating it."""

from __future__ import annotations

from tests.integration.volunteers.api import API, join, register
from tests.support.apps import event_count


def test_after_erasure_get_says_so_memberships_stay_and_only_leaving_is_still_possible(staff, known):
    volunteer = register(staff)
    membership = join(staff, volunteer["id"], known).get_json()
    assert staff.as_("reporting:read").delete(f"{API}/{volunteer['id']}").status_code == 403
    erased = staff.delete(f"{API}/{volunteer['id']}")
    assert erased.status_code == 204 and erased.get_data() == b""
    shown = staff.get(f"{API}/{volunteer['id']}").get_json()
    assert shown["erased"] is True and shown["erased_at"]
    assert [shown[k] for k in ("first_name", "last_name", "email", "phone")] == [None] * 4
    assert [m["id"] for m in shown["memberships"]] == [membership["id"]]
    refused = join(staff, volunteer["id"], known, institution_id=known.other_institution_id)
    assert refused.status_code == 409 and refused.get_json()["rule"] == "volunteer_erased"
    assert staff.post(f"{API}/{volunteer['id']}/memberships/{membership['id']}/leave",
                      json={"left_on": "2021-12-31"}).status_code == 200
    listed = staff.get(f"{API}?institution_id={known.institution_id}&limit=1000").get_json()
    assert [v for v in listed if v["id"] == volunteer["id"]][0]["email"] is None


def test_erasing_twice_is_204_and_records_nothing_more(staff, volunteers):
    volunteer = register(staff)
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    before = event_count(volunteers[0])
    assert staff.delete(f"{API}/{volunteer['id']}").status_code == 204
    assert event_count(volunteers[0]) == before


def test_after_erasure_the_same_email_may_register_again(staff):
    volunteer = register(staff)
    staff.delete(f"{API}/{volunteer['id']}")
    assert register(staff, email=volunteer["email"])["id"] != volunteer["id"]
