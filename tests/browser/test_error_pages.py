"""The 404 and 500 pages in the browser: no serious accessibility problems, and a dead link to
a politician leads on to the right one."""

import re

import pytest
from playwright.sync_api import expect

from .tools import AXE, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def context_options():
    return {"bypass_csp": True}  # axe-core goes in as an inline script


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def serious_problems(page):
    require(AXE, "run `npm ci` to install axe-core")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_a_mistyped_politician_leads_to_the_right_one(page, archive):
    response = page.goto("/politicians/jeremy-corbin/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert serious_problems(page) == []
    page.get_by_role("link", name="Jeremy Corbyn").click()
    expect(page).to_have_url(re.compile(re.escape(archive.politicians.corbyn.get_absolute_url())))


def test_the_404_search_box_searches_for_the_words_of_the_address(page, archive):
    page.goto("/politicians/referendum/")
    box = page.get_by_label("Search the archive")
    expect(box).to_have_value("referendum")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/articles/\?q=referendum$"))
    expect(page.locator("main")).to_contain_text("Cameron sets the date for the EU referendum")


@pytest.mark.urls("tests.urls_failing")
def test_the_500_page_is_accessible(page, archive):
    response = page.goto("/failing-page/")
    assert response.status == 500
    expect(page.locator("h1")).to_have_text("Something went wrong")
    assert serious_problems(page) == []
