"""The page cache: repeated pages come from the cache; every change shows on the next request."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.derived.generation import generation
from articles.models import Article, Mention

from .admin_forms import inline_rows
from .factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def reader():
    """An anonymous reader, separate from the editor's logged-in client."""
    return Client()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block that behaves as its own committed transaction: on-commit work runs at its end.

    (Each test runs inside one transaction that is never committed.) Every write in these tests
    goes through one, as it would on a live site.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(committed):
    with committed():
        return make_world()


def make_world():
    labour = PartyFactory(name="Labour Party", slug="labour-party", colour="#E4003B")
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    membership = MembershipFactory(politician=corbyn, party=labour, start_date=dt.date(2000, 1, 1))
    topic = TopicFactory(name="Brexit", slug="brexit")
    article = ArticleFactory(
        headline="Corbyn faces confidence vote",
        slug="corbyn-faces-confidence-vote",
        published_at=on(2016, 6, 28, 9),
        source=SourceFactory(name="BBC News", slug="bbc"),
        topics=[topic],
    )
    MentionFactory(article=article, politician=corbyn, role=Mention.Role.SUBJECT)
    return {
        "party": labour,
        "politician": corbyn,
        "membership": membership,
        "topic": topic,
        "article": article,
    }


def without_cache_header(response):
    return {name: value for name, value in response.headers.items() if name != "X-Cache"}


PAGES = [
    "/",
    "/articles/",
    "/articles/?politician=jeremy-corbyn&year=2016",
    "/articles/2016/06/28/corbyn-faces-confidence-vote/",
    "/politicians/",
    "/politicians/jeremy-corbyn/",
    "/parties/labour-party/",
    "/topics/brexit/",
    "/feeds/politicians/jeremy-corbyn/",
    "/feeds/articles/atom/?party=labour-party",
    "/sitemap.xml",
    "/export/popolo.json",
    "/politicians/jeremy-corbyn/timeline.json",
    "/api/articles/?politician=jeremy-corbyn",
    "/api/parties/labour-party/",
    "/articles/2016/06/28/no-such-article/",
]


@pytest.mark.parametrize("url", PAGES)
def test_second_request_is_a_hit_with_the_same_body_and_headers(reader, world, url):
    first = reader.get(url)
    assert first["X-Cache"] == "miss"
    second = reader.get(url)
    assert second["X-Cache"] == "hit"
    assert second.status_code == first.status_code
    assert second.content == first.content
    assert without_cache_header(second) == without_cache_header(first)
    assert "Content-Security-Policy" in second
    assert not second.cookies


def test_a_hit_costs_one_small_query(reader, world, django_assert_num_queries):
    reader.get("/articles/")
    with django_assert_num_queries(1):
        assert reader.get("/articles/")["X-Cache"] == "hit"


def test_each_query_string_is_its_own_page(reader, world):
    assert reader.get("/articles/?year=2016")["X-Cache"] == "miss"
    assert reader.get("/articles/?year=2015")["X-Cache"] == "miss"
    assert reader.get("/articles/?year=2016&page=1")["X-Cache"] == "miss"
    assert "Corbyn faces" in reader.get("/articles/?year=2016").text
    assert "Corbyn faces" not in reader.get("/articles/?year=2015").text


def test_head_is_answered_from_a_stored_get(reader, world):
    url = world["article"].get_absolute_url()
    assert reader.head(url)["X-Cache"] == "miss"
    assert reader.get(url)["X-Cache"] == "miss"  # a HEAD answer is not stored
    head = reader.head(url)
    assert head["X-Cache"] == "hit"
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"].startswith("text/html")


def article_form(article, **changes):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
        "published_at_0": f"{article.published_at.astimezone():%Y-%m-%d}",
        "published_at_1": f"{article.published_at.astimezone():%H:%M:%S}",
        "source": str(article.source_id),
        "byline": article.byline,
        "url": article.url or "",
        "topic_choices": [str(pk) for pk in article.topics.values_list("pk", flat=True)],
        **inline_rows("mentions"),
        **inline_rows("ambiguous_names"),
    }
    data.update(changes)
    return data


def test_an_edited_headline_shows_on_the_next_request(reader, editor_client, committed, world):
    article = world["article"]
    url = article.get_absolute_url()
    for page in (url, "/articles/", "/"):
        reader.get(page)
        assert reader.get(page)["X-Cache"] == "hit"

    change = reverse("admin:articles_article_change", args=[article.pk])
    with committed():
        response = editor_client.post(change, article_form(article, headline="Corbyn wins vote"))
    assert response.status_code == 302

    for page in (url, "/articles/", "/"):
        response = reader.get(page)
        assert response["X-Cache"] == "miss"
        assert "Corbyn wins vote" in response.text
        assert "Corbyn faces confidence vote" not in response.text


def test_a_party_move_shows_on_the_next_request(reader, editor_client, committed, world):
    politician, labour = world["politician"], world["party"]
    with committed():
        change_uk = PartyFactory(name="Change UK", slug="change-uk")
    url = world["article"].get_absolute_url()
    assert "Labour Party" in reader.get(url).text
    assert reader.get(url)["X-Cache"] == "hit"

    data = {
        "name": politician.name,
        "slug": politician.slug,
        **dict.fromkeys(["given_name", "family_name", "sort_name", "birth_date", "death_date"], ""),
        **dict.fromkeys(["biography", "image_url", "wikidata_id", "popolo_id"], ""),
        **inline_rows("other_names"),
        **inline_rows(
            "memberships",
            [
                {
                    "id": world["membership"].pk,
                    "politician": politician.pk,
                    "party": labour.pk,
                    "start_date": "2000-01-01",
                    "end_date": "2015-12-31",
                },
                {"party": change_uk.pk, "start_date": "2016-01-01", "end_date": ""},
            ],
            initial=1,
        ),
        **inline_rows("roles"),
    }
    with committed():
        response = editor_client.post(
            reverse("admin:articles_politician_change", args=[politician.pk]), data
        )
    assert response.status_code == 302

    response = reader.get(url)
    assert response["X-Cache"] == "miss"
    assert "Change UK" in response.text


def test_a_deleted_article_is_gone_on_the_next_request(reader, editor_client, committed, world):
    article = world["article"]
    url = article.get_absolute_url()
    reader.get(url)
    reader.get("/articles/")
    with committed():
        response = editor_client.post(
            reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert reader.get(url).status_code == 404
    assert "Corbyn faces" not in reader.get("/articles/").text
    assert reader.get(url)["X-Cache"] == "hit"  # the 404 is kept until the next change


def test_a_topic_change_on_an_article_shows(reader, committed, world):
    with committed():
        article, economy = world["article"], TopicFactory(name="Economy", slug="economy")
    url = article.get_absolute_url()
    assert "Economy" not in reader.get(url).text
    with committed():
        article.topics.add(economy)
    assert "Economy" in reader.get(url).text


def test_a_scheduled_article_appears_when_its_time_comes(reader, committed, world, settings):
    settings.PAGE_CACHE_SECONDS = 6 * 3600
    with time_machine.travel(on(2026, 3, 2, 12), tick=False) as traveller:
        with committed():
            ArticleFactory(headline="Budget day arrives", published_at=on(2026, 3, 2, 14))
        assert "Budget day arrives" not in reader.get("/articles/").text
        assert reader.get("/articles/")["X-Cache"] == "hit"

        traveller.move_to(on(2026, 3, 2, 13) + dt.timedelta(minutes=59))
        response = reader.get("/articles/")
        assert response["X-Cache"] == "hit"
        assert "Budget day arrives" not in response.text

        traveller.move_to(on(2026, 3, 2, 14) + dt.timedelta(seconds=1))
        response = reader.get("/articles/")
        assert response["X-Cache"] == "miss"
        assert "Budget day arrives" in response.text


def test_pages_are_not_kept_past_midnight(reader, world):
    with time_machine.travel(on(2026, 3, 2, 23) + dt.timedelta(minutes=59), tick=False) as t:
        reader.get("/politicians/")
        assert reader.get("/politicians/")["X-Cache"] == "hit"
        t.move_to(on(2026, 3, 3, 0) + dt.timedelta(seconds=1))
        assert reader.get("/politicians/")["X-Cache"] == "miss"


def test_pages_are_not_kept_longer_than_the_setting(reader, world, settings):
    settings.PAGE_CACHE_SECONDS = 60
    with time_machine.travel(on(2026, 3, 2, 10), tick=False) as traveller:
        reader.get("/")
        traveller.shift(59)
        assert reader.get("/")["X-Cache"] == "hit"
        traveller.shift(2)
        assert reader.get("/")["X-Cache"] == "miss"


def test_two_processes_with_their_own_memory_both_see_a_change(reader, committed, world, settings):
    """Each gunicorn worker has its own local cache; the generation lives in the database."""
    url = world["article"].get_absolute_url()

    def process(name):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": name,
            }
        }

    for name in ("worker-1", "worker-2"):
        process(name)
        caches["default"].clear()
        assert reader.get(url)["X-Cache"] == "miss"
        assert reader.get(url)["X-Cache"] == "hit"

    article = Article.objects.get(pk=world["article"].pk)
    article.headline = "Corbyn wins vote"
    with committed():
        article.save()

    for name in ("worker-1", "worker-2"):
        process(name)
        response = reader.get(url)
        assert response["X-Cache"] == "miss"
        assert "Corbyn wins vote" in response.text


def test_the_generation_moves_once_per_transaction_at_commit(committed, world):
    before = generation()
    with committed():
        ArticleFactory()
        ArticleFactory()
        assert generation() == before
    after = generation()
    assert after != before
    with committed():
        ArticleFactory()
    assert generation() not in (before, after)  # random, never a number seen before


def test_the_admin_and_health_check_are_never_cached(reader, editor_client, world):
    for url in ("/admin/login/", "/healthz"):
        reader.get(url)
        assert "X-Cache" not in reader.get(url)
    editor_client.get("/admin/")
    assert "X-Cache" not in editor_client.get("/admin/")


def test_logged_in_requests_are_neither_answered_nor_stored(reader, editor_client, world):
    reader.get("/")
    assert reader.get("/")["X-Cache"] == "hit"
    assert "X-Cache" not in editor_client.get("/")
    assert "X-Cache" not in editor_client.get("/articles/")
    assert reader.get("/articles/")["X-Cache"] == "miss"


def test_requests_with_a_csrf_cookie_bypass_the_cache(reader, world):
    reader.get("/")
    reader.cookies["csrftoken"] = "x" * 32
    assert "X-Cache" not in reader.get("/")


def test_other_cookies_do_not_stop_caching(reader, world):
    reader.cookies["consent"] = "yes"
    reader.get("/")
    assert reader.get("/")["X-Cache"] == "hit"


def test_streamed_csv_is_never_stored(reader, world):
    url = "/articles/export.csv?politician=jeremy-corbyn"
    first = reader.get(url)
    assert first["X-Cache"] == "miss"
    b"".join(first.streaming_content)  # read to the end, which gives the export slot back
    response = reader.get(url)
    assert response["X-Cache"] == "miss"
    assert b"Corbyn faces" in b"".join(response.streaming_content)


def test_switched_off_by_the_setting_or_a_dummy_cache(reader, world, settings):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = reader.get("/articles/")
        assert "X-Cache" not in response
        return len(captured)

    settings.PAGE_CACHE = False
    plain = queries()
    settings.PAGE_CACHE = True
    # As manage.py benchmark does it: the configured cache is already open by then.
    caches["default"].get("anything")
    settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    assert queries() == plain
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert queries() == plain


def test_a_list_action_shows_on_the_next_request(reader, editor_client, committed, world):
    with committed():
        draft = ArticleFactory(headline="Draft about the budget", status=Article.Status.DRAFT)
    assert "Draft about the budget" not in reader.get("/articles/").text
    with committed():
        response = editor_client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [draft.pk]},
        )
    assert response.status_code == 302
    assert "Draft about the budget" in reader.get("/articles/").text


def test_opening_an_editors_form_leaves_the_cache_alone(editor_client, committed, world):
    article = world["article"]
    before = generation()
    for view in ("change", "delete"):
        with committed():
            url = reverse(f"admin:articles_article_{view}", args=[article.pk])
            assert editor_client.get(url).status_code == 200
    assert generation() == before
