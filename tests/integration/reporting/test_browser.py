"""The summary page in a real headless browser (Debian's chromium driven by Playwright).

The screenshot is checked for what a broken page would lack (a sane size, no horizontal overflow,
the key parts visible where they belong, the stylesheet applied, charts drawn, real content rather
than a blank image), not compared pixel by pixel with a golden image.
"""

from __future__ import annotations

import base64
import os
import shutil

import pytest

from tests.support.browser import VIEWPORT, accessibility_violations, new_page, served, sign_in

# Luminance statistics of a PNG, computed by the browser itself (no image library needed).
PIXEL_STATS = """async (data) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  let n = 0, sum = 0, squares = 0, dark = 0, coloured = 0;
  for (let i = 0; i < pixels.length; i += 16) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    n++; sum += y; squares += y * y;
    if (y < 100) dark++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  const mean = sum / n;
  return {width: image.width, height: image.height, mean, variance: squares / n - mean * mean,
          dark: dark / n, coloured: coloured / n};
}"""


@pytest.fixture(scope="module")
def site(app, world):
    with served(app) as url:
        yield url


@pytest.fixture
def page(browser, site):
    page = new_page(browser)
    yield page
    page.context.close()


def text(locator) -> str:
    return " ".join(locator.inner_text().replace("\u00a0", " ").split())


def visible_box(page, selector: str) -> dict:
    element = page.locator(selector).first
    assert element.is_visible(), f"{selector} is not visible"
    box = element.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0, f"{selector} has no size"
    return box


def stats(page, png: bytes) -> dict:
    return page.evaluate(PIXEL_STATS, base64.b64encode(png).decode())


def test_the_edition_page_renders_its_figures_charts_and_list_in_a_real_browser(page, site, world, tmp_path):
    sign_in(page, site, "ewa.wisniewska", f"/editions/{world.edition_id}")
    assert page.url == f"{site}/editions/{world.edition_id}"
    assert page.title().startswith("Partnerstwa 2021 – tura jesienna")
    assert text(page.locator("h1")) == "Partnerstwa 2021 – tura jesienna"

    # The headline figures, as staff read them.
    expected = {
        "partnerships.proposed": "5", "partnerships.mal_verified": "3", "partnerships.funded": "3",
        "partnerships.rejected": "1", "partnerships.withdrawn": "1",
        "funding.requested_total": "29 500,00 zł", "funding.granted_total": "20 500,00 zł",
        "institutions.count": "9", "volunteers.joined": "4", "volunteers.active": "3",
    }
    for field, value in expected.items():
        figure = page.locator(f'[data-field="{field}"] .figure-value')
        assert figure.is_visible(), field
        assert text(figure) == value, field

    # Four charts, drawn: each an SVG of real size with bars in it.
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box["width"] > 350 and box["height"] > 100, box
        assert chart.locator("rect").count() >= 2
        areas = chart.evaluate("svg => [...svg.querySelectorAll('rect')].map(r => r.getBBox().width * r.getBBox().height)")
        assert max(areas) > 1000, "no bar of any size"
        assert stats(page, chart.screenshot())["variance"] > 200, f"chart {index} looks blank"
    labels = page.locator("#chart-districts svg text").all_text_contents()
    assert {"Ochota", "Wola", "Mokotów", "Praga-Północ"} <= set(labels)
    assert "Biblioteki" in page.locator("#chart-kinds svg text").all_text_contents()

    # The funded partnerships with their amounts, and the total.
    rows = page.locator("#funded-table tbody tr")
    assert rows.count() == 3
    assert [text(rows.nth(i).locator(".amount")) for i in range(3)] == ["6 000,00 zł", "8 500,00 zł", "6 000,00 zł"]
    assert text(page.locator("#funded-table tfoot .amount")) == "20 500,00 zł"

    # The stylesheet is applied (the city's red line on top) and the layout holds together.
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).borderTopColor") == "rgb(181, 18, 27)"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], "horizontal overflow"
    heading = visible_box(page, "h1")
    figures = visible_box(page, ".figures-main")
    first_chart = visible_box(page, "#chart-funding")
    table = visible_box(page, "#funded-table")
    assert heading["y"] < figures["y"] < first_chart["y"] < table["y"], "sections out of order"
    assert figures["width"] > 900, "headline figures squeezed"
    for selector in (".toolbar", "a[href*='export.csv']", "a[href*='export.xlsx']", "input[name=as_of]"):
        visible_box(page, selector)

    shot = tmp_path / "edition.png"
    png = page.screenshot(path=str(shot), full_page=True)
    picture = stats(page, png)
    assert picture["width"] == VIEWPORT["width"]
    assert 1600 < picture["height"] < 6000, picture
    assert picture["variance"] > 300, f"the page looks blank: {picture}"
    assert 0.003 < picture["dark"] < 0.5, f"too little or too much dark ink: {picture}"
    assert picture["coloured"] > 0.01, f"no colour (charts, accents): {picture}"
    keep = os.environ.get("OCHOTNICY_SCREENSHOTS")
    if keep:
        shutil.copy(shot, keep)
    assert page.problems == []


def test_the_as_of_picker_shows_the_summary_as_it_stood(page, site, world):
    sign_in(page, site, "ewa.wisniewska", f"/editions/{world.edition_id}")
    page.fill("input[name=as_of]", "2021-10-31")
    page.click(".asof-form button[type=submit]")
    page.wait_for_url(f"**/editions/{world.edition_id}?as_of=2021-10-31")
    assert text(page.locator('[data-field="partnerships.funded"] .figure-value')) == "0"
    assert text(page.locator('[data-field="partnerships.proposed"] .figure-value')) == "5"
    assert "31 października 2021, 23:59" in text(page.locator(".asof"))
    page.click('[data-field="partnerships.proposed"] .figure-source')
    assert text(page.locator("h1")) == "Skąd ta liczba: Partnerstwa zgłoszone"
    assert page.locator("#sources-table tbody tr").count() == 5
    assert page.problems == []


def test_the_list_of_editions_fits_and_its_picker_leads_to_each_edition_as_of_that_day(page, site, world):
    sign_in(page, site, "ewa.wisniewska", "/editions")
    table = page.locator(".tablewrap")
    assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth"), "the table of editions overflows its frame"
    assert page.locator("table.editions tbody tr").count() == 2
    page.fill("input[name=as_of]", "2021-10-31")
    page.click(".asof-form button[type=submit]")
    page.wait_for_url("**/editions?as_of=2021-10-31")
    assert page.locator("table.editions tbody tr").count() == 1  # the 2022 edition was not open yet
    page.click("table.editions tbody th a")
    page.wait_for_url(f"**/editions/{world.edition_id}?as_of=2021-10-31")
    assert text(page.locator('[data-field="partnerships.funded"] .figure-value')) == "0"
    assert page.problems == []


def test_the_printed_page_drops_the_controls_and_keeps_the_figures(page, site, world):
    sign_in(page, site, "ewa.wisniewska", f"/editions/{world.edition_id}")
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    assert page.locator('[data-field="funding.granted_total"]').is_visible()
    assert len(page.pdf(format="A4")) > 10_000


def test_without_a_sign_in_the_browser_lands_on_the_polish_sign_in_page_and_returns(page, site, world):
    page.goto(f"{site}/editions/{world.edition_id}")
    assert page.url.startswith(f"{site}/signin")
    assert text(page.locator("h1")) == "Logowanie"
    assert accessibility_violations(page) == []
    page.check("#login-ewa-wisniewska")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{site}/editions/{world.edition_id}")
    assert text(page.locator('[data-field="partnerships.funded"] .figure-value')) == "3"
    assert accessibility_violations(page) == []
    assert page.problems == []
