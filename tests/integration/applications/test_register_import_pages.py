"""Importing the register from a sheet, in the browser's way: upload, preview, confirm; the same file twice adds nothing."""

from __future__ import annotations

import io
import re
import uuid

import pytest

from tests.support.apps import event_count, service_app
from tests.support.pages import csrf, signed_in


@pytest.fixture(scope="module")
def app(databases):
    return service_app("applications", databases.create("register_import"))


def upload(browser, content: bytes, name="rejestr.csv"):
    page = browser.get("/institutions/import").get_data(as_text=True)
    return browser.post("/institutions/import", data={"csrf_token": csrf(page), "sheet": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")


def confirm(browser, preview_html: str):
    fields = dict(re.findall(r'<input id="(rows-\d+-\w+)" name="\1" type="hidden" value="([^"]*)">', preview_html))
    return browser.post("/institutions/import/confirm", data={"csrf_token": csrf(preview_html), **fields})


def test_a_sheet_is_previewed_row_by_row_then_registered_once_however_often_it_comes(app):
    service, flask_app = app
    marker = uuid.uuid4().hex[:6]
    sheet = (f"Nazwa;Rodzaj;Dzielnica;MAL\nBiblioteka {marker};Biblioteka;Wola;nie\n"
             f"Dom Kultury {marker};Dom kultury;Włochy;tak\nSzkoła {marker};Szkoła;Atlantyda;nie\n").encode("cp1250")
    browser = signed_in(flask_app, "anna.kowalska", "/")[0]
    before = event_count(service)
    preview = upload(browser, sheet)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and html.count("nowa</span>") == 2 and "odrzucona" in html
    assert "Atlantyda" in html and event_count(service) == before  # a preview writes nothing
    done = confirm(browser, html)
    assert done.status_code == 302 and event_count(service) == before + 2
    assert "Zarejestrowano: 2 instytucje." in browser.get("/institutions").get_data(as_text=True)
    assert confirm(browser, html).status_code == 302 and event_count(service) == before + 2  # confirmed twice
    again = upload(browser, sheet).get_data(as_text=True)
    assert again.count("już w rejestrze</span>") == 2 and "nowa</span>" not in again
    assert "W pliku nie ma nowych instytucji" in again and event_count(service) == before + 2


def test_a_file_it_cannot_read_is_refused_at_the_field_in_polish(app):
    browser = signed_in(app[1], "anna.kowalska", "/")[0]
    answer = upload(browser, b"%PDF-1.4", "rejestr.pdf")
    assert answer.status_code == 422 and "Wybierz plik .csv albo .xlsx." in answer.get_data(as_text=True)


def test_someone_who_only_reads_cannot_import(app):
    browser = signed_in(app[1], "ewa.wisniewska", "/")[0]
    assert browser.get("/institutions/import").status_code == 403
