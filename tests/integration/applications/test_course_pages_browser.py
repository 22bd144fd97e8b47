"""A clerk runs a library edition's course in headless Chromium, from pages only: a training for libraries ticked by
name (refused at the hours first), a monitoring visit, a programme adopted, a withdrawal; every page, the refusal too,
passes axe-core's WCAG 2.1 AA scan."""

from __future__ import annotations

import pytest

from tests.integration.applications.api import library_edition
from tests.support.apps import Client, service_app
from tests.support.browser import accessible, new_page, served, sign_in, submit

"""A directory to keep each page's screenshot in, for a person to look at (none: no screenshots)."""


@pytest.fixture(scope="module")
def stack(databases):
    app = service_app("applications", databases.create("apps_course_browser"))[1]
    with served(app) as url:
        yield Client(app, "applications:write"), url


@pytest.fixture
def page(browser, stack):
    page = new_page(browser)
    sign_in(page, stack[1], "anna.kowalska", "/")
    yield page
    page.context.close()


def test_a_clerk_records_a_library_editions_course(page, stack):
    staff, site = stack
    edition = library_edition(staff)
    for name in ("Filia nr 75", "Filia nr 12", "Biblioteka „Pod Skrzydłami”"):
        answer = staff.post("/api/v1/institutions", json={"name": name, "kind": "library", "district": "Włochy"})
        staff.post(f"/api/v1/editions/{edition['id']}/enrolments", json={"institution_id": answer.get_json()["id"]})

    page.goto(f"{site}/editions/{edition['id']}")
    accessible(page, edition["name"], "edition-before")
    page.get_by_role("link", name="Zapisz szkolenie, wizytę studyjną lub spotkanie").click()
    accessible(page, "Szkolenia, wizyty studyjne i spotkania", "trainings-empty")
    page.get_by_label("Rodzaj").select_option(label="szkolenie")
    page.get_by_label("Temat").fill("Wolontariat w bibliotece: szkolenie wprowadzające")
    page.get_by_label("Data").fill("2021-09-20")
    page.get_by_label("Liczba godzin").fill("0")
    page.get_by_label("Filia nr 75 (Włochy)").check()
    page.get_by_label("Biblioteka „Pod Skrzydłami” (Włochy)").check()
    submit(page, "Zapisz")
    accessible(page, "Szkolenia, wizyty studyjne i spotkania", "trainings-refused")
    assert "więcej niż 0" in page.locator("#hours-errors").inner_text()
    assert page.get_by_label("Liczba godzin").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Filia nr 75 (Włochy)").is_checked()  # what was ticked stays ticked
    page.get_by_label("Liczba godzin").fill("4,5")
    submit(page, "Zapisz")
    accessible(page, "Szkolenia, wizyty studyjne i spotkania", "trainings")
    assert "Zapisano: szkolenie" in page.locator(".notice-success").inner_text()
    row = page.get_by_role("row", name="Wolontariat w bibliotece: szkolenie wprowadzające")
    assert "4,5" in row.inner_text() and "Filia nr 75" in row.inner_text() and "Filia nr 12" not in row.inner_text()

    page.goto(f"{site}/editions/{edition['id']}/monitoring-visits")
    accessible(page, "Wizyty monitorujące trenerów", "visits-empty")
    page.get_by_label("Odwiedzona instytucja").select_option(label="Filia nr 75 (Włochy)")
    page.get_by_label("Data wizyty").fill("2021-10-04")
    page.get_by_label("Etap wdrażania wolontariatu").select_option(label="planowanie")
    submit(page, "Zapisz wizytę")
    accessible(page, "Wizyty monitorujące trenerów", "visits")
    assert "planowanie" in page.get_by_role("row", name="Filia nr 75").inner_text()

    page.get_by_role("link", name="Filia nr 75").click()
    accessible(page, "Filia nr 75", "enrolment")
    page.get_by_label("Dzień przyjęcia programu").fill("2021-11-30")
    submit(page, "Zapisz przyjęcie programu")
    accessible(page, "Filia nr 75", "enrolment-adopted")
    assert "przyjęty 30.11.2021" in page.locator("#h-path + p").inner_text()

    page.goto(f"{site}/editions/{edition['id']}")
    page.get_by_role("link", name="Filia nr 12").click()
    page.get_by_label("Powód wycofania").fill("Filia zamknięta na remont")
    submit(page, "Wycofaj")
    accessible(page, "Filia nr 12", "enrolment-withdrawn")
    assert "Filia zamknięta na remont" in page.locator("main").inner_text()

    page.get_by_role("link", name=edition["name"]).click()
    accessible(page, edition["name"], "edition-after")
    assert "przyjęty 30.11.2021" in page.get_by_role("row", name="Filia nr 75").inner_text()
    assert "wycofana" in page.get_by_role("row", name="Filia nr 12").inner_text()
    others = [p for p in page.problems if "422" not in p]  # the refusal of the training was one, on purpose
    assert others == [] and len(page.problems) == 2, page.problems
