"""`ochotnicy rebuild` of a service whose read model lives beside its event store: the rebuilt model equals the one
its commands built, takes in the events stored while it was being built, and the service goes on writing to it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infra.rebuild import swap
from services.applications.readmodel import institutions
from services.applications.spec import SPEC
from tests.support.apps import Client, service_app

pytestmark = pytest.mark.integration
API = "/api/v1/institutions"


def _register(staff: Client, name: str) -> str:
    answer = staff.post(API, json={"name": name, "kind": "library", "district": "Wola"})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def _model(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {t.name: sorted(map(tuple, connection.execute(select(t)).all()), key=repr) for t in SPEC.tables.sorted_tables}


def test_an_owners_model_is_swapped_for_its_rebuild_with_what_was_stored_meanwhile(either_database, tmp_path):
    service, app = service_app("applications", either_database)
    staff = Client(app, "applications:write")
    first = [_register(staff, f"Biblioteka nr {n}") for n in range(1, 6)]
    assert staff.patch(f"{API}/{first[0]}", json={"name": "Biblioteka Główna"}, headers={"If-Match": "*"}).status_code == 200
    live = service.runtime.engine

    built = swap.stage(SPEC, service.runtime.settings, live, tmp_path, workers=2)
    late = _register(staff, "Biblioteka dopisana w trakcie")  # stored after the fold: applied in the swap
    before = _model(live)
    caught_up, resumed = swap.swap(built, SPEC, service.runtime.settings, live)
    assert (caught_up, resumed) == (1, [])
    assert _model(live) == before

    after = _register(staff, "Biblioteka po zamianie")  # the service writes on into the rebuilt model
    with live.connect() as connection:
        names = dict(connection.execute(select(institutions.c.id, institutions.c.name)).all())
    assert names[first[0]] == "Biblioteka Główna" and late in names and after in names and len(names) == 7
    if live.dialect.name == "postgresql":
        with live.connect() as connection:
            left = connection.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE nspname IN (%s, %s)",
                                              swap.schemas("applications")).scalars()
            assert list(left) == []  # neither the building schema nor the old tables remain
    live.dispose()
