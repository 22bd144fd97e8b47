"""Look-alike names are one name in the register (issue 30), also for institutions registered before they were."""

from __future__ import annotations

import datetime
import uuid

from alembic import command
from sqlalchemy import create_engine, select, text

from infra.audit import replay
from infra.db import migrate
from services.applications.domain.institutions import Institution, normalised_name
from services.applications.readmodel import institutions
from services.applications.spec import SPEC
from tests.integration.applications.api import assert_error
from tests.support.apps import Client, service_app

NOW = datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc)
NAMES = {
    "one": "Biblioteka Wola \u017c",  # ż as one character
    "dot": "Biblioteka Wola z\u0307",  # z and a combining dot: a name of its own until now
    "wide": "\uff22\uff49\uff42\uff4c\uff49\uff4f\uff54\uff45\uff4b\uff41 Wola \u017c",  # fullwidth letters
    "other": "Biblioteka Ochota",
}


def _keys_after_upgrading(engine, config, revision: str, names: dict[str, str]) -> dict[str, str]:
    """Each institution's key after the newest migrations, for `names` registered at `revision` (keys as then)."""
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        for i, name in names.items():
            connection.execute(text("INSERT INTO institutions (id, name, name_key, kind, district, is_mal, version, registered_at)"
                                    " VALUES (:id, :name, :key, 'library', 'Wola', false, 1, :at)"),
                               {"id": i, "name": name, "key": " ".join(name.split()).casefold(), "at": NOW})
    migrate.upgrade(engine, SPEC.migrations)
    with engine.connect() as connection:
        keys = dict(connection.execute(select(institutions.c.id, institutions.c.name_key)).all())
    assert keys == {i: normalised_name(name) for i, name in names.items()}
    return keys


def test_the_migration_folds_every_key_again_and_keeps_namesakes_registered_before(either_database):
    engine = create_engine(either_database)
    config = migrate._config(SPEC.migrations)
    keys = _keys_after_upgrading(engine, config, "applications_0003", NAMES)
    assert keys["one"] == keys["dot"] == keys["wide"] == "biblioteka wola \u017c" != keys["other"]
    with engine.begin() as connection:  # and back, where the three keys were three again
        config.attributes["connection"] = connection
        command.downgrade(config, "applications_0003")
        assert connection.execute(text("SELECT count(DISTINCT name_key) FROM institutions")).scalar() == 4
    engine.dispose()


def test_namesakes_registered_before_still_project_replay_alike_and_keep_out_a_third(databases, tmp_path):
    service, app = service_app("applications", databases.create("apps_look_alikes"))
    staff = Client(app, "applications:write")
    suffix = uuid.uuid4().hex[:6]
    assert staff.post("/api/v1/institutions", json={"name": f"Biblioteka Wola {suffix}", "kind": "library",
                                                   "district": "Wola"}).status_code == 201
    # What the register let in before (the handler's check skipped): a fullwidth and a zero-width namesake.
    for look_alike in (f"\uff22\uff49\uff42\uff4c\uff49\uff4f\uff54\uff45\uff4b\uff41 Wola {suffix}",
                       f"Biblio\u200bteka Wola {suffix}"):
        with service.runtime.uow() as uow:
            uow.aggregates.add(Institution.register(str(uuid.uuid4()), look_alike, "library", "Wola", False))
            uow.commit()
    with service.read() as session:
        keys = session.execute(select(institutions.c.name_key).where(institutions.c.district == "Wola")).scalars().all()
    assert keys.count(f"biblioteka wola {suffix}") == 3
    outcome = replay.replay(SPEC, service.runtime.settings, service.runtime.engine,
                            create_engine(f"sqlite:///{tmp_path}/scratch.sqlite3"))
    assert outcome.ok, [d.describe() for d in outcome.differences]
    third = staff.post("/api/v1/institutions", json={"name": f"BIBLIOTEKA  WOLA {suffix}", "kind": "library",
                                                    "district": "Wola"})
    assert_error(third, 409, field="name", rule="duplicate_institution")
    service.runtime.engine.dispose()


def test_cyrillic_look_alikes_registered_before_fold_to_latin_and_back(either_database):
    engine = create_engine(either_database)
    config = migrate._config(SPEC.migrations)
    names = {"latin": "Biblioteka Ochota", "cyrillic": "Bibli\u043et\u0435k\u0430 \u041echota", "other": "Biblioteka Wola"}
    keys = _keys_after_upgrading(engine, config, "applications_0004", names)
    assert keys["latin"] == keys["cyrillic"] == "biblioteka ochota" != keys["other"]
    with engine.begin() as connection:  # and back, where the Cyrillic letters were letters of their own
        config.attributes["connection"] = connection
        command.downgrade(config, "applications_0004")
        assert connection.execute(text("SELECT count(DISTINCT name_key) FROM institutions")).scalar() == 3
    engine.dispose()


def test_a_name_spelt_with_cyrillic_letters_is_the_latin_name_already_registered(staff):
    latin = {"name": "Dom Kultury Praga Kopernik", "kind": "culture_house", "district": "Praga-Północ"}
    assert staff.post("/api/v1/institutions", json=latin).status_code == 201
    look_alike = latin | {"name": "D\u043em Kultur\u0443 Pr\u0430g\u0430 K\u043ep\u0435rnik"}
    assert_error(staff.post("/api/v1/institutions", json=look_alike), 409, field="name", rule="duplicate_institution")


def test_a_name_of_blank_letters_is_refused_and_one_with_a_variation_selector_is_the_name_registered(staff):
    """Found by the fuzz pass (issue 30): U+3164 alone was a name, and a trailing U+FE0F a second "Biblioteka"."""
    assert_error(staff.post("/api/v1/institutions", json={"name": "\u3164\u3164", "kind": "library", "district": "Wola"}),
                 422, field="name")
    latin = {"name": "Biblioteka Sadyba Czerniakowska", "kind": "library", "district": "Mokotów"}
    assert staff.post("/api/v1/institutions", json=latin).status_code == 201
    for look_alike in ("Biblioteka Sadyba Czerniakowska\ufe0f", "Biblioteka\u034f Sadyba Czerniakowska"):
        assert_error(staff.post("/api/v1/institutions", json=latin | {"name": look_alike}), 409, field="name",
                     rule="duplicate_institution")
