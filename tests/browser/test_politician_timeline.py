"""From an article to the timeline of a politician it mentions."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_following_a_politician_from_an_article_opens_their_timeline(page, archive):
    corbyn = archive.politicians.corbyn
    referendum_result = archive.articles[4]
    page.goto(referendum_result.get_absolute_url())
    expect(page.locator("h1")).to_have_text(referendum_result.headline)

    page.locator(f"main a[href='{corbyn.get_absolute_url()}']").first.click()

    expect(page).to_have_url(re.compile(re.escape(corbyn.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_contain_text("Jeremy Corbyn")
    main = page.locator("main")
    expect(main).to_contain_text("Labour")
    for article in (archive.articles[2], referendum_result, archive.articles[5]):
        expect(main.locator(f"a[href='{article.get_absolute_url()}']").first).to_be_visible()
    expect(main).not_to_contain_text(archive.draft.headline)
    expect(main).to_contain_text("2015")
