import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine

from articles.io.sitemaps import ArticleSitemap
from articles.models import Article, Mention
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        node.find("s:loc", NS).text: getattr(node.find("s:lastmod", NS), "text", None)
        for node in root.findall("s:url", NS)
    }


@pytest.fixture
def archive():
    party = PartyFactory(name="Labour Party")
    silent_party = PartyFactory(name="Quiet Party")
    politician = PoliticianFactory(name="Jeremy Corbyn")
    MembershipFactory(politician=politician, party=party, start_date=dt.date(1975, 1, 1))
    topic = TopicFactory(name="Europe")
    old = ArticleFactory(published_at=on(2016, 6, 28), topics=[topic])
    new = ArticleFactory(published_at=on(2017, 6, 9))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=on(2018, 1, 1))
    future = ArticleFactory(published_at=on(2030, 1, 1), topics=[topic])
    for article in (old, new, draft, future):
        MentionFactory(article=article, politician=politician)
    MentionFactory(
        article=ArticleFactory(published_at=on(2019, 1, 1)),
        politician=PoliticianFactory(name="Suggested Only"),
        state=Mention.State.SUGGESTED,
    )
    return locals()


def test_index_lists_every_section(client, archive):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [node.find("s:loc", NS).text for node in root.findall("s:sitemap", NS)]
    assert sorted(locations) == sorted(
        f"http://testserver/sitemap-{section}.xml"
        for section in ("articles", "politicians", "parties", "topics", "sources")
    )


def test_articles_section_has_published_articles_only(client, archive):
    found = entries(client, "/sitemap-articles.xml")
    assert set(found) == {
        f"http://testserver{a.get_absolute_url()}" for a in Article.objects.published()
    }
    assert len(found) == 3  # two mentioned, one with a suggested mention only
    assert all(lastmod for lastmod in found.values())


def test_people_parties_and_topics_have_lastmod_of_their_newest_public_article(client, archive):
    politicians = entries(client, "/sitemap-politicians.xml")
    corbyn = f"http://testserver{archive['politician'].get_absolute_url()}"
    assert politicians[corbyn].startswith("2017-06-09")

    parties = entries(client, "/sitemap-parties.xml")
    assert parties[f"http://testserver{archive['party'].get_absolute_url()}"].startswith(
        "2017-06-09"
    )
    assert parties[f"http://testserver{archive['silent_party'].get_absolute_url()}"] is None

    topics = entries(client, "/sitemap-topics.xml")
    # The 2030 article is not out yet, so it does not count.
    assert topics[f"http://testserver{archive['topic'].get_absolute_url()}"].startswith(
        "2016-06-28"
    )


def test_sources_have_lastmod_of_their_newest_public_article(client, archive):
    sources = entries(client, "/sitemap-sources.xml")
    page = f"http://testserver{archive['old'].source.get_absolute_url()}"
    assert sources[page].startswith("2016-06-28")
    for hidden in (archive["draft"], archive["future"]):  # listed, with nothing public yet
        assert sources[f"http://testserver{hidden.source.get_absolute_url()}"] is None


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_the_index_gives_each_sections_latest_lastmod_in_few_queries(
    client, archive, django_assert_max_num_queries
):
    # Per section its lastmod and its number of pages (the articles': the stored monthly counts
    # and what articles still to come add to them), never a row per article.
    with django_assert_max_num_queries(11):
        response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    lastmods = {
        node.find("s:loc", NS).text: node.find("s:lastmod", NS).text
        for node in root.findall("s:sitemap", NS)
    }
    articles = entries(client, "/sitemap-articles.xml")
    assert lastmods["http://testserver/sitemap-articles.xml"][:10] == max(articles.values())[:10]
    politicians = entries(client, "/sitemap-politicians.xml")
    newest = max(v for v in politicians.values() if v)
    assert lastmods["http://testserver/sitemap-politicians.xml"].startswith(newest[:10])


def index_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [node.find("s:loc", NS).text for node in root.findall("s:sitemap", NS)]


def test_article_pages_together_list_each_public_article_once_newest_first(
    client, archive, monkeypatch
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    # Five more public articles over three months, two of them on the same day.
    extra = [
        ArticleFactory(published_at=on(2017, 6, 9, hour=9)),
        ArticleFactory(published_at=on(2017, 6, 9, hour=9)),
        ArticleFactory(published_at=on(2017, 5, 31, hour=23)),
        ArticleFactory(published_at=on(2016, 7, 1, hour=0)),
        ArticleFactory(published_at=on(2016, 6, 1)),
    ]
    public = list(Article.objects.published().order_by("-published_at", "-id"))
    assert len(public) == 3 + len(extra)

    pages = [url for url in index_entries(client) if "sitemap-articles" in url]
    assert len(pages) == 4  # eight articles, two a page
    listed = []
    for url in pages:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        listed += [node.find("s:loc", NS).text for node in root.findall("s:url", NS)]
    assert listed == [f"http://testserver{a.get_absolute_url()}" for a in public]
    assert client.get("/sitemap-articles.xml?p=5").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


@pytest.mark.parametrize("more", [0, 30])
def test_sitemaps_take_the_same_queries_however_many_articles(
    client, archive, more, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(ArticleSitemap, "limit", 10)
    topic = archive["topic"]
    for n in range(more):
        article = ArticleFactory(published_at=on(2015, 1 + n % 12, 1 + n % 28), topics=[topic])
        MentionFactory(article=article, politician=archive["politician"])
    last = (Article.objects.published().count() + 9) // 10
    budgets = {
        "/sitemap.xml": 11,
        "/sitemap-articles.xml": 3,
        f"/sitemap-articles.xml?p={last}": 3,
        "/sitemap-politicians.xml": 2,
        "/sitemap-parties.xml": 2,
        "/sitemap-topics.xml": 2,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_index_lastmod_of_articles_follows_an_edit(client, archive):
    edited = archive["old"]
    with time_machine.travel(dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC), tick=False):
        edited.headline = "Corrected"
        edited.save()
        root = ET.fromstring(client.get("/sitemap.xml").content)
        found = entries(client, "/sitemap-articles.xml")
    lastmods = {
        node.find("s:loc", NS).text: node.find("s:lastmod", NS).text
        for node in root.findall("s:sitemap", NS)
    }
    assert lastmods["http://testserver/sitemap-articles.xml"].startswith("2024-02-01")
    assert found[f"http://testserver{edited.get_absolute_url()}"] == "2024-02-01"
    assert found[f"http://testserver{archive['new'].get_absolute_url()}"] == "2024-01-01"


def test_an_archive_without_public_articles_has_an_empty_articles_section(client, db):
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=on(2030, 1, 1))
    assert entries(client, "/sitemap-articles.xml") == {}
    assert "http://testserver/sitemap-articles.xml" in index_entries(client)
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404
