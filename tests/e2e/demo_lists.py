"""What the demo leaves in each service, listed to tell that a second load adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from ochotnicy import demo_data as data

SERVICES = ("applications", "funding", "volunteers", "reporting")


def events_per_service(stack) -> dict[str, int]:
    """How many events each owning service's store holds."""
    counts = {}
    for service in ("applications", "funding", "volunteers"):
        engine = sa.create_engine(stack.database_urls[service])
        with engine.connect() as connection:
            counts[service] = connection.execute(sa.text("SELECT count(*) FROM events")).scalar_one()
        engine.dispose()
    return counts


def lists(stack, editions: dict[str, str]) -> dict[str, list]:
    """Ids and states of everything the demo creates, as each service lists them."""
    staff = stack.session("volunteers:write", subject="kontrola")
    api = {s: f"{stack.url(s)}/api/v1" for s in SERVICES}

    def rows(url: str, **params) -> list:
        response = staff.get(url, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    lists = {
        "editions": sorted((e["id"], e["status"]) for e in rows(f"{api['applications']}/editions")),
        "institutions": sorted(i["id"] for i in rows(f"{api['applications']}/institutions")),
        "volunteers": sorted(v["id"] for v in rows(f"{api['volunteers']}/volunteers", limit=1000)),
    }
    for key, edition in editions.items():
        lists[f"partnerships {key}"] = sorted(
            (p["id"], p["status"], p["mal_status"]) for p in rows(f"{api['applications']}/partnerships", edition_id=edition))
        lists[f"enrolments {key}"] = sorted((e["institution_id"], e["status"], e["version"])
                                            for e in rows(f"{api['applications']}/editions/{edition}/enrolments"))
        if key in data.LIBRARY_EDITIONS:
            lists[f"trainings {key}"] = sorted(t["id"] for t in rows(f"{api['applications']}/editions/{edition}/trainings"))
            lists[f"visits {key}"] = sorted(v["id"] for v in rows(f"{api['applications']}/editions/{edition}/monitoring-visits"))
        lists[f"cases {key}"] = sorted((c["id"], c["status"]) for c in rows(f"{api['funding']}/cases", edition_id=edition))
        summary = rows(f"{api['reporting']}/editions/{edition}/summary")
        summary.pop("as_of")
        lists[f"summary {key}"] = [summary]
    return lists
