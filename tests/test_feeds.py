import datetime as dt
import html as html_lib
import re

import feedparser
import pytest
import time_machine
from django.template.loader import render_to_string

from articles.models import Article, Mention
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def archive():
    """A party switcher: Conservative until 27 August 2014, UKIP from the 28th."""
    conservatives = PartyFactory(name="Conservative Party", short_name="Con")
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP")
    switcher = PoliticianFactory(name="Douglas Carswell")
    MembershipFactory(
        politician=switcher,
        party=conservatives,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=switcher, party=ukip, start_date=dt.date(2014, 8, 28))
    other = PoliticianFactory(name="Nigel Farage")
    MembershipFactory(politician=other, party=ukip, start_date=dt.date(1993, 9, 3))
    europe = TopicFactory(name="Europe")
    source = SourceFactory(name="The Daily Example", homepage="https://daily.example.org/")

    before = ArticleFactory(
        headline="Carswell defends the Tories",
        standfirst="The MP for Clacton stays loyal <for now>.",
        published_at=on(2014, 3, 1),
        source=source,
        byline="A. Reporter",
        topics=[europe],
    )
    after = ArticleFactory(
        headline="Carswell joins UKIP",
        body="He resigned his seat.\n\nA by-election follows.",
        published_at=on(2014, 8, 28),
        source=source,
    )
    farage = ArticleFactory(headline="Farage on Europe", published_at=on(2015, 1, 2))
    draft = ArticleFactory(headline="Draft piece", status=Article.Status.DRAFT)
    future = ArticleFactory(headline="Tomorrow's news", published_at=on(2030, 1, 1))
    for article in (before, after, draft, future):
        MentionFactory(article=article, politician=switcher, role=Mention.Role.SUBJECT)
    MentionFactory(article=farage, politician=other)
    MentionFactory(article=after, politician=other, state=Mention.State.SUGGESTED)
    return {
        "switcher": switcher,
        "other": other,
        "conservatives": conservatives,
        "ukip": ukip,
        "europe": europe,
        "before": before,
        "after": after,
        "farage": farage,
    }


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def links(parsed):
    return [entry.link for entry in parsed.entries]


def expected(queryset):
    return [f"http://testserver{a.get_absolute_url()}" for a in queryset]


FEED_KINDS = ["", "atom/"]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_all_articles_feed_lists_published_articles_newest_first(client, archive, kind):
    response, parsed = fetch(client, f"/feeds/articles/{kind}")
    assert links(parsed) == expected(Article.objects.published())
    assert parsed.version == ("atom10" if kind else "rss20")
    assert response["Content-Type"].startswith(
        "application/atom+xml" if kind else "application/rss+xml"
    )


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_entries_carry_date_source_summary_and_categories(client, archive, kind):
    _, parsed = fetch(client, f"/feeds/politicians/{archive['switcher'].slug}/{kind}")
    by_title = {entry.title: entry for entry in parsed.entries}

    before = by_title["Carswell defends the Tories"]
    assert before.published_parsed[:3] == (2014, 3, 1)
    assert before.source.title == "The Daily Example"
    source_url = before.source.get("href") or before.source.get("link")
    assert source_url == "https://daily.example.org/"
    assert before.summary == "The MP for Clacton stays loyal &lt;for now&gt;."
    assert before.author == "A. Reporter"
    terms = [tag.term for tag in before.tags]
    assert terms == ["Douglas Carswell", "Conservative Party", "Europe"]

    after = by_title["Carswell joins UKIP"]
    assert after.summary == "He resigned his seat."  # first paragraph when no standfirst
    # The suggested mention of Farage is not public, so he is no category.
    assert [tag.term for tag in after.tags] == ["Douglas Carswell", "UK Independence Party"]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_politician_feed_matches_the_database(client, archive, kind):
    politician = archive["switcher"]
    _, parsed = fetch(client, f"/feeds/politicians/{politician.slug}/{kind}")
    assert links(parsed) == expected(Article.objects.published().mentioning(politician))
    assert len(parsed.entries) == 2
    assert parsed.feed.title.startswith("Douglas Carswell")


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_party_feed_uses_the_party_on_the_articles_date(client, archive, kind):
    _, parsed = fetch(client, f"/feeds/parties/{archive['ukip'].slug}/{kind}")
    assert links(parsed) == expected(Article.objects.published().in_party(archive["ukip"]))
    assert [e.title for e in parsed.entries] == ["Farage on Europe", "Carswell joins UKIP"]

    _, parsed = fetch(client, f"/feeds/parties/{archive['conservatives'].slug}/{kind}")
    assert [e.title for e in parsed.entries] == ["Carswell defends the Tories"]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_topic_feed(client, archive, kind):
    _, parsed = fetch(client, f"/feeds/topics/{archive['europe'].slug}/{kind}")
    assert links(parsed) == expected(Article.objects.published().about(archive["europe"]))
    assert [e.title for e in parsed.entries] == ["Carswell defends the Tories"]


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_feed_of_an_authors_articles(client, archive, kind):
    jane = AuthorFactory(name="Jane Doe", slug="jane-doe")
    Article.objects.get(headline="Carswell joins UKIP").authors.add(jane)
    _, parsed = fetch(client, f"/feeds/articles/{kind}?author=jane-doe")
    assert [e.title for e in parsed.entries] == ["Carswell joins UKIP"]
    assert parsed.feed.title.startswith("Articles by Jane Doe")


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_feed_of_a_browser_query(client, archive, kind):
    query = f"party={archive['ukip'].slug}&year=2014"
    _, parsed = fetch(client, f"/feeds/articles/{kind}?{query}")
    assert [e.title for e in parsed.entries] == ["Carswell joins UKIP"]
    assert parsed.feed.link.endswith(f"/articles/?{query}")
    assert parsed.feed.title.startswith("Articles mentioning UK Independence Party, 2014")

    _, parsed = fetch(client, f"/feeds/articles/{kind}?q=Farage&sort=oldest")
    assert [e.title for e in parsed.entries] == ["Farage on Europe"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/politicians/nobody/",
        "/feeds/politicians/nobody/atom/",
        "/feeds/parties/nobody/",
        "/feeds/topics/nobody/atom/",
    ],
)
def test_unknown_slug_is_404(client, archive, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["party=no-such-party", "from=yesterday", "year=abc"])
def test_bad_browser_query_is_400_with_a_message(client, archive, query):
    response = client.get(f"/feeds/articles/?{query}")
    assert response.status_code == 400
    assert b"Invalid query" in response.content


def test_feed_queries_do_not_grow_with_the_number_of_items(
    client, archive, django_assert_max_num_queries
):
    for n in range(10):
        MentionFactory(
            article=ArticleFactory(published_at=on(2016, 1, n + 1), topics=[archive["europe"]]),
            politician=archive["switcher"],
        )
    with django_assert_max_num_queries(6):
        fetch(client, f"/feeds/politicians/{archive['switcher'].slug}/")


def test_pages_announce_their_feeds(client, archive):
    slug = archive["switcher"].slug
    html = client.get(f"/politicians/{slug}/timeline/").content.decode()
    announced = [
        ("application/rss+xml", "All articles (RSS)", "/feeds/articles/"),
        ("application/rss+xml", "Douglas Carswell (RSS)", f"/feeds/politicians/{slug}/"),
        ("application/atom+xml", "Douglas Carswell (Atom)", f"/feeds/politicians/{slug}/atom/"),
    ]
    for kind, title, href in announced:
        assert f'rel="alternate" type="{kind}" title="{title}" href="{href}"' in html


@pytest.mark.parametrize("kind", ["politician", "party", "topic", "search"])
def test_data_links_include_renders_working_links(client, archive, kind):
    slug = {
        "politician": archive["switcher"].slug,
        "party": archive["ukip"].slug,
        "topic": archive["europe"].slug,
        "search": None,
    }[kind]
    html = render_to_string(
        "exports/data_links.html", {"kind": kind, "slug": slug, "query": "year=2014&q=UKIP"}
    )
    hrefs = [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', html)]
    if kind == "search":
        assert "?year=2014&amp;q=UKIP" in html
    assert len(hrefs) >= 3
    for href in hrefs:
        assert client.get(href).status_code == 200, href
