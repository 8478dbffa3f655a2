"""The editors' desk at 1280 px: headlines readable in the article list, every column of the
review list on screen."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import Article, Mention
from tests.factories import MentionFactory, PoliticianFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def editor_page(page):
    get_user_model().objects.create_superuser("desk", "desk@example.org", PASSWORD)
    page.goto("/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_headlines_have_room_in_the_article_list(editor_page):
    editor_page.goto("/admin/articles/article/")
    widths = editor_page.eval_on_selector_all(
        "#result_list td.field-headline, #result_list th.field-headline",
        "cells => cells.map(c => c.getBoundingClientRect().width)",
    )
    assert widths and min(widths) >= 240, widths


def test_every_column_of_the_review_list_is_on_screen(editor_page):
    article = Article.objects.first()
    article.headline = "A long headline about the leadership contest " * 3
    article.save()
    for n in range(8):  # a long list of suggested names, as real articles give
        person = PoliticianFactory(name=f"Somebody With A Rather Long Name Number{n}")
        MentionFactory(article=article, politician=person, state=Mention.State.SUGGESTED)
    editor_page.goto("/admin/articles/articleforreview/")
    for column in ("source", "state", "published_at"):
        box = editor_page.locator(f"#result_list thead th.column-{column}").bounding_box()
        assert box is not None, column
        assert box["x"] + box["width"] <= 1280, (column, box)


def test_the_index_shows_the_review_count(editor_page):
    article = Article.objects.first()
    MentionFactory(article=article, state=Mention.State.SUGGESTED)
    editor_page.goto("/admin/")
    assert "awaiting review" in editor_page.locator("#awaiting-review").inner_text()
