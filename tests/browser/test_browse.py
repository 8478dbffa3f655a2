"""The article browser as a reader uses it: facets, search and the keyboard."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from .pages import count_in, facet_option, result_links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def query(page):
    return parse_qs(urlparse(page.url).query)


def test_picking_a_party_facet_narrows_results_counts_and_url(page, archive):
    ukip, brexit = archive.parties.ukip, archive.topics.brexit
    page.goto("/articles/")
    assert len(result_links(page)) == 8
    assert count_in(facet_option(page, "topic", brexit.slug).first.inner_text()) == 5
    option = facet_option(page, "party", ukip.slug).first
    # Party on the article's date: Carswell was a Conservative in 2013, UKIP from August 2014.
    assert count_in(option.inner_text()) == 2

    option.click()

    expect(page).to_have_url(re.compile(rf"[?&]party={ukip.slug}(&|$)"))
    assert query(page)["party"] == [ukip.slug]
    assert sorted(result_links(page)) == sorted(
        [archive.articles[1].get_absolute_url(), archive.articles[3].get_absolute_url()]
    )
    expect(page.locator("h1")).to_contain_text(re.compile("UKIP|UK Independence Party"))
    assert count_in(facet_option(page, "topic", brexit.slug).first.inner_text()) == 2
    assert facet_option(page, "topic", archive.topics.economy.slug).count() == 0


def test_search_shows_matching_articles_with_highlights(page, archive):
    page.goto("/")
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("referendum")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/articles/\?(.*&)?q=referendum"))
    assert sorted(result_links(page)) == sorted(
        [archive.articles[3].get_absolute_url(), archive.articles[4].get_absolute_url()]
    )
    marks = page.locator("main mark").all_inner_texts()
    assert marks, "no highlighted words in the results"
    assert all("referendum" in mark.lower() for mark in marks), marks


def test_facets_work_with_the_keyboard_alone(page, archive):
    leadership = archive.topics.leadership
    page.goto("/articles/")
    for _ in range(120):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement && document.activeElement.href || ''")
        if f"topic={leadership.slug}" in href:
            break
    else:
        pytest.fail("Tab never reached the topic facet")

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"[?&]topic={leadership.slug}(&|$)"))
    assert len(result_links(page)) == 4
