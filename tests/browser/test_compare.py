"""The compare-coverage page and the home page as a reader sees them at 390 px and 1280 px:
legible chart text, no sideways scroll, and a form that adds and removes subjects with scripts
turned off."""

import pytest

from .test_charts import MIN_TEXT, WIDTHS, assert_legible, charts_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
TEXT_SIZES = """selector => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length)
  .map(el => ({text: el.textContent.trim(), font: parseFloat(getComputedStyle(el).fontSize)}))"""


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def compare_url(archive):
    people, parties = archive.politicians, archive.parties
    return (
        f"/compare/?politician={people.corbyn.slug}&politician={people.cameron.slug}"
        f"&party={parties.labour.slug}&party={parties.conservatives.slug}"
    )


def texts(page, selector):
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]


def assert_small_text_legible(page, selector):
    for text in page.evaluate(TEXT_SIZES, selector):
        assert text["font"] >= MIN_TEXT, f"{text['text']!r} is set at {text['font']} px"


@pytest.mark.parametrize("width", WIDTHS)
def test_comparison_is_legible_without_sideways_scroll(page, archive, width):
    (chart,) = charts_on(page, compare_url(archive), width)
    assert_legible(chart, width)
    assert [t["text"] for t in chart["others"]] == ["2 a month"]
    years = sorted(int(t["text"]) for t in chart["years"])
    assert years[0] >= 2013 and years[-1] <= 2016
    assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways"
    assert_small_text_legible(page, ".chart-legend li, .compare-table th, .compare-table td")
    legend = texts(page, ".chart-legend li")
    assert legend == [
        "Jeremy Corbyn 3 articles",
        "David Cameron 5 articles",
        "Labour Party 3 articles",
        "Conservative Party 6 articles",
    ]
    lines = page.locator("polyline.chart-line")
    assert lines.count() == 4
    colours = [lines.nth(i).get_attribute("stroke") for i in range(4)]
    assert colours[2:] == ["#E4003B", "#0087DC"] and len(set(colours)) == 4
    table = page.locator(".compare-table table")
    assert table.locator("tfoot td").all_inner_texts() == ["3", "5", "3", "6"]
    box = page.locator(".compare-table").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width


def test_the_form_adds_and_removes_without_scripts(page, archive):
    page.goto("/compare/")
    assert page.locator("#compare-add").is_visible()
    page.fill("#compare-add", "Corbyn")
    page.click(".compare-form button")
    assert page.url.endswith(f"/compare/?politician={archive.politicians.corbyn.slug}")
    assert page.locator("polyline.chart-line").count() == 1
    page.select_option("#compare-party", archive.parties.ukip.slug)
    page.click(".compare-form button")
    assert texts(page, ".chart-legend li") == [
        "Jeremy Corbyn 3 articles",
        "UK Independence Party 2 articles",
    ]
    page.fill("#compare-add", "a")  # several people: choose one
    page.click(".compare-form button")
    page.get_by_role("link", name="Theresa May").click()
    assert page.locator(".chart-legend li").count() == 3
    page.get_by_role("link", name="Remove Jeremy Corbyn").click()
    assert page.locator(".chart-legend a").all_inner_texts() == [
        "Theresa May",
        "UK Independence Party",
    ]
    page.fill("#compare-add", "nobody like this")
    submit = page.locator(".compare-form button")
    with page.expect_navigation() as navigation:
        submit.click()
    assert navigation.value.status == 400
    assert "No politician has a name containing" in page.locator("[role=alert]").inner_text()
    assert page.input_value("#compare-add") == "nobody like this"
    assert page.locator("input[type=hidden][name=politician]").count() == 1


def test_politician_page_opens_the_comparison_with_them_chosen(page, archive):
    page.goto(archive.politicians.carswell.get_absolute_url())
    page.get_by_role("link", name="Compare with…").click()
    assert page.locator(".chart-legend a").all_inner_texts() == ["Douglas Carswell"]


@pytest.mark.parametrize("width", WIDTHS)
def test_home_is_legible_without_sideways_scroll(page, archive, width):
    (chart,) = charts_on(page, "/", width)
    assert_legible(chart, width)
    assert page.evaluate(OVERFLOW) <= 0, "the page scrolls sideways"
    assert_small_text_legible(page, ".home-aside .covered-count, .home-aside a, .aside-note")
    headings = page.locator(".home-aside h2").all_inner_texts()
    assert headings == ["Most covered politicians", "Parties", "Topics", "Every year"]
    assert texts(page, ".year-counts li") == [
        "2013 1",
        "2014 1",
        "2015 1",
        "2016 5",
    ]
