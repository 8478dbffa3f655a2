"""Long articles in the admin: a form error naming the limit, the input kept; never a bare 400."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article

from .admin_forms import inline_rows
from .factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIMIT = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, the article text's limit too
PARAGRAPH = "The committee met again and heard the same evidence as before. " * 20 + "\n\n"


def long_text(size, ending):
    """About ``size`` bytes of text ending with ``ending`` (to find it in the page again)."""
    return PARAGRAPH * (size // len(PARAGRAPH) + 1) + ending


def article_data(source, body, **fields):
    return {
        "headline": "The longest report",
        "slug": "the-longest-report",
        "standfirst": "",
        "body": body,
        "status": "draft",
        "published_at_0": "2016-06-28",
        "published_at_1": "12:00:00",
        "source": str(source.pk),
        "byline": "",
        "url": "",
        **inline_rows("mentions"),
        **inline_rows("ambiguous_names"),
        **fields,
    }


def plain(text):
    return text.replace("\xa0", " ")  # sizes are written with a no-break space


def post_form(client, url, data):
    """POST as a browser sends the article form (urlencoded: it has no file field)."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def test_the_limits_are_djangos(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == LIMIT
    assert settings.ARTICLE_BODY_MAX_SIZE == LIMIT
    assert settings.ARTICLE_FORM_UPLOAD_MAX_SIZE > LIMIT


def test_a_text_over_the_limit_is_a_form_error_with_the_input_kept(editor_client):
    source = SourceFactory()
    body = long_text(LIMIT + 400_000, "The very last sentence of the report.")
    response = post_form(
        editor_client, reverse("admin:articles_article_add"), article_data(source, body)
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    error = plain(form.errors["body"][0])
    assert "at most 2.5 MB (2,621,440 bytes)" in error
    assert "Nothing was saved" in error
    page = response.content.decode()
    assert "The very last sentence of the report.</textarea>" in page
    assert 'value="The longest report"' in page
    assert not Article.objects.exists()


def test_a_text_just_over_the_limit_says_by_how_much(editor_client):
    source = SourceFactory()
    body = "x" * (LIMIT + 1)
    response = post_form(
        editor_client, reverse("admin:articles_article_add"), article_data(source, body)
    )
    error = plain(response.context["adminform"].form.errors["body"][0])
    assert "(2,621,441 bytes)" in error


def test_a_text_at_the_limit_is_saved(editor_client):
    source = SourceFactory()
    body = "y" * LIMIT  # the whole form is a little more than Django's limit
    response = post_form(
        editor_client, reverse("admin:articles_article_add"), article_data(source, body)
    )
    assert response.status_code == 302
    assert len(Article.objects.get().body) == LIMIT


def test_changing_an_article_to_a_long_text_keeps_the_saved_one(editor_client):
    article = ArticleFactory(body="Short and saved.")
    body = long_text(LIMIT * 2, "Appended at the end.")
    data = article_data(
        article.source, body, slug=article.slug, headline=article.headline, version="0"
    )
    response = post_form(
        editor_client, reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    assert "Appended at the end.</textarea>" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "Short and saved."


def test_a_submit_over_even_the_form_limit_gets_a_page_that_says_so(editor_client, settings):
    settings.ARTICLE_FORM_UPLOAD_MAX_SIZE = LIMIT * 2
    source = SourceFactory()
    body = long_text(LIMIT * 2 + 1000, "")
    response = post_form(
        editor_client, reverse("admin:articles_article_add"), article_data(source, body)
    )
    assert response.status_code == 413
    page = plain(response.content.decode())
    assert "Your article was not saved" in page
    assert "takes at most 5.0 MB" in page
    assert "Back button" in page
    assert not Article.objects.exists()


def test_other_requests_keep_djangos_limit(editor_client):
    source = SourceFactory()
    body = long_text(LIMIT + 1000, "")
    response = post_form(editor_client, reverse("admin:articles_source_add"), {"name": body})
    assert response.status_code == 400
    anonymous = Client()
    response = post_form(
        anonymous, reverse("admin:articles_article_add"), article_data(source, body)
    )
    assert response.status_code == 302  # to the log-in page; the body was never read
    assert response.url.startswith(reverse("admin:login"))


def test_the_form_is_sent_urlencoded_and_a_multipart_one_over_djangos_limit_gets_the_page(
    editor_client,
):
    url = reverse("admin:articles_article_add")
    assert "multipart/form-data" not in editor_client.get(url).content.decode()
    body = long_text(LIMIT + 1000, "")
    response = editor_client.post(url, article_data(SourceFactory(), body))  # multipart
    assert response.status_code == 413
    assert "takes at most 2.5 MB" in plain(response.content.decode())
