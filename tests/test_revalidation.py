"""Conditional GETs: the API and the data exports carry an archive ETag and a short lifetime."""

import pytest
from django.test import Client

from articles.models import Article

from .factories import ArticleFactory, MentionFactory, PoliticianFactory, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block that behaves as a committed transaction (the generation changes at its end)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(committed):
    with committed():
        person = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
        kept = ArticleFactory(headline="Corbyn keeps his seat", published_at=on(2017, 6, 9))
        pulled = ArticleFactory(headline="Corbyn story pulled later", published_at=on(2017, 6, 10))
        for article in (kept, pulled):
            MentionFactory(article=article, politician=person)
    return {"person": person, "kept": kept, "pulled": pulled}


URLS = [
    "/api/articles/",
    "/api/politicians/jeremy-corbyn/",
    "/export/popolo.json",
    "/politicians/jeremy-corbyn/timeline.json",
]


@pytest.mark.parametrize("url", URLS)
def test_answers_carry_an_etag_and_a_short_lifetime(client, world, url, settings):
    settings.REVALIDATE_SECONDS = 60
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60", "must-revalidate"}


@pytest.mark.parametrize("url", URLS)
def test_unchanged_archive_answers_304_after_one_query(
    client, world, url, django_assert_num_queries
):
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(1):  # the generation token, nothing of the view's
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "must-revalidate" in response["Cache-Control"]


def test_each_url_has_its_own_tag(client, world):
    tags = {client.get(url)["ETag"] for url in URLS}
    tags.add(client.get("/api/articles/?q=seat")["ETag"])
    assert len(tags) == len(URLS) + 1


def test_an_unpublished_article_is_gone_on_revalidation(client, world, committed):
    url = "/api/articles/"
    first = client.get(url)
    assert "Corbyn story pulled later" in first.content.decode()
    with committed():
        world["pulled"].status = Article.Status.DRAFT
        world["pulled"].save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    headlines = [a["headline"] for a in again.json()["results"]]
    assert headlines == ["Corbyn keeps his seat"]
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_an_unpublished_article_leaves_the_timeline_data(client, world, committed):
    url = "/politicians/jeremy-corbyn/timeline.json"
    first = client.get(url)
    with committed():
        world["pulled"].status = Article.Status.DRAFT
        world["pulled"].save()
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Corbyn story pulled later" in first.content.decode()
    assert "Corbyn story pulled later" not in again.content.decode()


def test_a_stale_or_foreign_tag_gets_the_full_answer(client, world):
    response = client.get("/api/articles/", HTTP_IF_NONE_MATCH='"not-one-of-ours"')
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_the_page_cache_answers_304_too(world, settings, django_assert_num_queries):
    settings.PAGE_CACHE = True
    reader = Client()
    url = "/api/articles/"
    stored = reader.get(url)
    assert stored["X-Cache"] == "miss"
    with django_assert_num_queries(1):
        response = reader.get(url, HTTP_IF_NONE_MATCH=stored["ETag"])
    assert response.status_code == 304
    assert response["X-Cache"] == "hit"
    assert response["ETag"] == stored["ETag"]
    assert "must-revalidate" in response["Cache-Control"]
    full = reader.get(url)
    assert (full.status_code, full["X-Cache"]) == (200, "hit")
    assert full.content == stored.content


def test_the_page_cache_serves_the_change_on_revalidation(world, settings, committed):
    settings.PAGE_CACHE = True
    reader = Client()
    url = "/export/popolo.json"
    stored = reader.get(url)
    with committed():
        world["person"].name = "J. Corbyn"
        world["person"].save()
    again = reader.get(url, HTTP_IF_NONE_MATCH=stored["ETag"])
    assert (again.status_code, again["X-Cache"]) == (200, "miss")
    assert "J. Corbyn" in again.content.decode()
