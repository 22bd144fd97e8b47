"""The reporting API: the contract's summary shape, as_of, the sources of every figure, exports, errors."""

from __future__ import annotations

import csv
import io
import uuid

import openpyxl
import pytest

from services.reporting.readmodel import sources
from tests.integration.reporting.conftest import Feeder
from tests.integration.reporting.scenario import Populated, at, edition_opened, figures, new_id, rebuilt, wrap

SHAPE = {"edition_id", "programme", "name", "year", "round", "partnerships", "funding", "institutions", "volunteers", "training",
         "as_of"}


def test_the_summary_has_exactly_the_contracts_shape_with_money_as_decimal_strings(client, world):
    response = client.get(f"/api/v1/editions/{world.edition_id}/summary")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == SHAPE
    assert (body["edition_id"], body["programme"], body["name"], body["year"], body["round"]) == (
        world.edition_id, "partnerships", "Partnerstwa 2021 – tura jesienna", 2021, "autumn")
    assert figures(body) == Populated.expected
    assert body["as_of"].endswith("Z")


def test_as_of_is_echoed_as_utc_and_changes_the_figures(client, world):
    body = client.get(f"/api/v1/editions/{world.edition_id}/summary?as_of=2021-10-31").get_json()
    assert body["as_of"] == "2021-10-31T22:59:59.999999Z"  # the end of that day in Warsaw (CET)
    assert body["partnerships"]["funded"] == 0 and body["funding"]["granted_total"] == "0.00"
    exact = client.get(f"/api/v1/editions/{world.edition_id}/summary", query_string={"as_of": "2021-11-05T12:00:00+00:00"})
    assert exact.get_json()["as_of"] == "2021-11-05T12:00:00Z"
    assert exact.get_json()["funding"]["granted_total"] == "6000.00"


@pytest.mark.parametrize("bad", ["yesterday", "2021-13-01", "2021-02-30", "", "12:00"])
def test_a_malformed_as_of_is_422_naming_the_parameter(client, world, bad):
    response = client.get(f"/api/v1/editions/{world.edition_id}/summary", query_string={"as_of": bad})
    assert response.status_code == 422
    body = response.get_json()
    assert "as_of" in body["errors"]["query"]
    assert "2021-12-31" in body["message"]  # says what to write


def test_an_unknown_edition_is_404_and_a_foreign_query_parameter_422(client, world):
    assert client.get(f"/api/v1/editions/{uuid.uuid4()}/summary").status_code == 404
    assert client.get("/api/v1/editions/not-a-uuid/summary").status_code == 404
    refused = client.get(f"/api/v1/editions/{world.edition_id}/summary?asof=2021-01-01")
    assert refused.status_code == 422 and "asof" in refused.get_json()["errors"]["query"]


def test_reads_need_a_valid_token_of_any_role(client, world):
    assert client.anonymous().get(f"/api/v1/editions/{world.edition_id}/summary").status_code == 401
    assert client.anonymous().get("/api/v1/editions").status_code == 401
    assert client.as_("volunteers:write").get(f"/api/v1/editions/{world.edition_id}/summary").status_code == 200


def test_the_list_holds_every_editions_summary(client, world):
    listed = {s["edition_id"]: s for s in client.get("/api/v1/editions").get_json()}
    assert set(listed[world.edition_id]) == SHAPE
    assert listed[world.edition_id]["funding"]["granted_total"] == "20500.00"
    then = {s["edition_id"]: s for s in client.get("/api/v1/editions?as_of=2021-10-01").get_json()}
    assert then[world.edition_id]["partnerships"]["funded"] == 0


def test_the_list_as_of_a_moment_holds_only_the_editions_opened_by_then(client, world):
    spring_2022 = {s["name"]: s["edition_id"] for s in client.get("/api/v1/editions").get_json()}["Partnerstwa 2022 – tura wiosenna"]
    autumn = [s["edition_id"] for s in client.get("/api/v1/editions?as_of=2021-10-01").get_json()]
    assert world.edition_id in autumn and spring_2022 not in autumn  # opened on 1 February 2022
    assert spring_2022 in [s["edition_id"] for s in client.get("/api/v1/editions?as_of=2022-02-01").get_json()]
    assert client.get("/api/v1/editions?as_of=2021-08-31").get_json() == []  # before either was opened


@pytest.mark.parametrize("field", [*sources.HEADLINE_FIELDS, "institutions.by_kind.library", "institutions.by_kind.mal",
                                   "institutions.by_district.Ochota", "institutions.by_district.Bemowo"])
@pytest.mark.parametrize("as_of", [None, "2021-10-31"])
def test_every_figure_is_rebuilt_from_the_events_its_sources_list(client, world, field, as_of):
    query = {"field": field} | ({"as_of": as_of} if as_of else {})
    response = client.get(f"/api/v1/editions/{world.edition_id}/summary/sources", query_string=query)
    assert response.status_code == 200
    trace = response.get_json()
    summary = client.get(f"/api/v1/editions/{world.edition_id}/summary", query_string={"as_of": as_of} if as_of else {}).get_json()
    assert trace["value"] == sources.value_of(summary, field)
    assert rebuilt(trace) == trace["value"]
    known = {e.id: e for e in world.events}
    for source in trace["sources"]:
        event = known[source["event_id"]]  # a real event of the story, described truly
        assert (source["type"], source["subject"]) == (event.type, event.subject)
        assert source["time"] == event.time.isoformat().replace("+00:00", "Z")


def test_the_funded_figure_lists_the_grants_with_their_amounts(client, world):
    trace = client.get(f"/api/v1/editions/{world.edition_id}/summary/sources?field=partnerships.funded").get_json()
    assert {s["type"] for s in trace["sources"]} == {"FundingGranted"}
    assert sorted(s["contributes"]["amount"] for s in trace["sources"]) == ["6000.00", "6000.00", "8500.00"]
    assert {s["contributes"]["title"] for s in trace["sources"]} == {"Sąsiedzi na Ochocie", "Czytamy na Woli", "Mokotów razem"}


def test_institutions_by_kind_sources_include_the_registrations_that_decided_the_kind(client, world):
    trace = client.get(f"/api/v1/editions/{world.edition_id}/summary/sources?field=institutions.by_kind.mal").get_json()
    registered = [s for s in trace["sources"] if s["type"] == "InstitutionRegistered"]
    assert {s["contributes"]["kind"] for s in registered} == {"mal"} and len(registered) == 2


def test_an_unknown_field_is_422_naming_the_valid_ones(client, world):
    response = client.get(f"/api/v1/editions/{world.edition_id}/summary/sources?field=partnerships.approved")
    assert response.status_code == 422
    body = response.get_json()
    assert "partnerships.funded" in body["message"] and "volunteers.active" in body["message"]
    assert body["errors"]["query"]["field"]
    assert client.get(f"/api/v1/editions/{world.edition_id}/summary/sources").status_code == 422


def _csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    sections, current = {"": []}, ""
    for row in rows:
        if not row:
            current = None
            continue
        if current is None:
            current = row[0]
            sections[current] = []
            continue
        sections[current].append(row)
    return sections


def test_the_csv_export_holds_the_headline_figures_and_the_funded_partnerships(client, world):
    response = client.get(f"/api/v1/editions/{world.edition_id}/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sections = _csv_sections(response.data)
    assert sections[""][0] == ["Podsumowanie edycji", "Partnerstwa 2021 – tura jesienna"]
    figures = dict(sections["Wskaźniki"][1:])
    assert figures["Partnerstwa dofinansowane"] == "3"
    assert figures["Przyznane dofinansowanie (bez cofniętego)"] == "20500,00"  # a decimal comma, as Polish Excel reads numbers
    assert figures["Wnioskowana kwota (bez wycofanych)"] == "29500,00"
    assert figures["Wolontariusze aktywni"] == "3"
    header, *funded = sections["Partnerstwa dofinansowane"]
    assert header[1] == "Tytuł partnerstwa" and header[6] == "Kwota przyznana (zł)"
    assert [(r[1], r[6]) for r in funded] == [
        ("Czytamy na Woli", "6000,00"), ("Mokotów razem", "8500,00"), ("Sąsiedzi na Ochocie", "6000,00"), ("Razem", "20500,00")]
    assert dict(sections["Instytucje wg rodzaju"][1:])["Biblioteki"] == "3"
    assert sections["Wolontariusze w kolejnych miesiącach"][1:] == [["2021-10", "1", "1"], ["2021-11", "3", "3"], ["2021-12", "4", "3"]]


def test_the_csv_export_as_of_a_moment(client, world):
    sections = _csv_sections(client.get(f"/api/v1/editions/{world.edition_id}/export.csv?as_of=2021-10-31").data)
    assert dict(sections["Wskaźniki"][1:])["Partnerstwa dofinansowane"] == "0"
    assert sections["Partnerstwa dofinansowane"] == [sections["Partnerstwa dofinansowane"][0]]
    assert sections["Wolontariusze w kolejnych miesiącach"][1:] == [["2021-10", "1", "1"]]
    december = _csv_sections(client.get(f"/api/v1/editions/{world.edition_id}/export.csv?as_of=2021-12-12").data)
    # The fourth volunteer's leaving (on the 15th) was not known yet: still active at the end of December.
    assert december["Wolontariusze w kolejnych miesiącach"][-1] == ["2021-12", "4", "4"]


def test_the_xlsx_export_holds_the_same_data_with_money_as_numbers(client, world):
    response = client.get(f"/api/v1/editions/{world.edition_id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[:2] == ["Wskaźniki", "Partnerstwa dofinansowane"]
    figures = {row[0]: row[1] for row in book["Wskaźniki"].iter_rows(min_row=5, values_only=True)}
    assert figures["Partnerstwa dofinansowane"] == 3
    assert figures["Przyznane dofinansowanie (bez cofniętego)"] == 20500
    funded = list(book["Partnerstwa dofinansowane"].iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[6]) for r in funded] == [
        ("Czytamy na Woli", 6000), ("Mokotów razem", 8500), ("Sąsiedzi na Ochocie", 6000), ("Razem", 20500)]
    assert book["Partnerstwa dofinansowane"]["G5"].number_format == '#,##0.00 "zł"'


def test_a_name_typed_like_a_formula_stays_text_in_both_exports(client, service):
    edition_id, name = new_id(), '=HYPERLINK("http://zly.example","klik")'
    Feeder(service).batch([wrap(edition_opened(edition_id, name=name), time=at("2021-09-01 08:00"))])
    rows = list(csv.reader(io.StringIO(client.get(f"/api/v1/editions/{edition_id}/export.csv").data.decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0] == ["Podsumowanie edycji", "'" + name]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/v1/editions/{edition_id}/export.xlsx").data))
    for sheet in book:
        assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith(name), sheet.title


def test_exports_of_an_unknown_edition_are_404_and_need_a_token(client):
    missing = uuid.uuid4()
    assert client.get(f"/api/v1/editions/{missing}/export.csv").status_code == 404
    assert client.anonymous().get(f"/api/v1/editions/{missing}/export.xlsx").status_code == 401


def test_the_openapi_document_describes_the_reporting_endpoints(client):
    paths = client.anonymous().get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/editions", "/api/v1/editions/{edition_id}/summary", "/api/v1/editions/{edition_id}/summary/sources",
                 "/api/v1/editions/{edition_id}/export.csv", "/api/v1/editions/{edition_id}/export.xlsx"):
        assert path in paths
    parameters = {p["name"]: p for p in paths["/api/v1/editions/{edition_id}/summary"]["get"]["parameters"]}
    assert "time" in parameters["as_of"]["description"]


def test_the_api_docs_page_is_open_and_loads_swagger_ui_5_from_the_service_itself(client):
    page = client.anonymous().get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/api/v1/docs/assets/swagger-ui-bundle.js" in page.data and b"https://" not in page.data  # works offline
    bundle = client.anonymous().get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and b"SwaggerUIBundle" in bundle.data
    # Major version 5 is the first that renders OpenAPI 3.1.
    assert client.anonymous().get("/api/v1/docs/assets/VERSION").data.startswith(b"v5.")
