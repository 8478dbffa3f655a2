"""Topic and source pages: what they hold, only public articles, their parameters, their cost."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from articles.models import Article, ArticleCount, Mention, Topic
from articles.web.views.subjects import Subject, subject_page
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MentionFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def world():
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    abbott = PoliticianFactory(name="Diane Abbott", slug="diane-abbott")
    may = PoliticianFactory(name="Theresa May", slug="theresa-may")
    bbc = SourceFactory(name="BBC News", slug="bbc", homepage="https://www.bbc.co.uk/news")
    other = SourceFactory(name="The Other Paper", slug="other")
    brexit = TopicFactory(name="Brexit", slug="brexit")
    economy = TopicFactory(name="Economy", slug="economy")
    return {
        "corbyn": corbyn,
        "abbott": abbott,
        "may": may,
        "bbc": bbc,
        "other": other,
        "brexit": brexit,
        "economy": economy,
    }


def article(when, *people, topics=(), source=None, **kwargs):
    made = ArticleFactory(published_at=when, topics=list(topics), **kwargs)
    if source is not None:
        made.source = source
        made.save()
    for person in people:
        MentionFactory(article=made, politician=person)
    return made


def test_topic_page_shows_coverage_people_articles_feed_and_browser_link(client, world):
    brexit = world["brexit"]
    article(on(2016, 6, 24), world["corbyn"], world["may"], topics=[brexit], headline="Vote")
    article(on(2016, 7, 1), world["corbyn"], topics=[brexit], headline="Aftermath")
    article(on(2017, 3, 29), world["may"], world["corbyn"], topics=[brexit], headline="Article 50")
    article(on(2016, 6, 25), world["abbott"], topics=[world["economy"]], headline="Markets")
    response = client.get("/topics/brexit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1>Brexit</h1>", html)
    assert response.context["total"] == 3
    assert [(r["name"], r["n"]) for r in response.context["most_mentioned"]] == [
        ("Jeremy Corbyn", 3),
        ("Theresa May", 2),
    ]
    headlines = [a.headline for a in response.context["page_obj"].object_list]
    assert headlines == ["Article 50", "Aftermath", "Vote"]
    assert "Markets" not in html
    chart = response.context["chart"]
    assert sum(bar.count for bar in chart.bars) == 3
    assert 'href="/articles/?topic=brexit"' in html
    assert 'href="/feeds/articles/?topic=brexit"' in html
    assert 'type="application/atom+xml"' in html


def test_source_page_links_its_homepage_and_counts_its_articles(client, world):
    article(on(2016, 1, 1), world["abbott"], source=world["bbc"], headline="From the BBC")
    article(on(2016, 1, 2), world["abbott"], source=world["other"], headline="From elsewhere")
    response = client.get("/sources/bbc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="https://www.bbc.co.uk/news"' in html
    assert response.context["total"] == 1
    assert "From the BBC" in html and "From elsewhere" not in html
    assert [(r["name"], r["n"]) for r in response.context["most_mentioned"]] == [
        ("Diane Abbott", 1)
    ]


def test_author_page_is_a_subject_page_too(client, world):
    jane = AuthorFactory(name="Jane Doe", slug="jane-doe")
    mine = article(on(2016, 3, 1), world["corbyn"], headline="By Jane", byline="Jane Doe")
    mine.authors.add(jane)
    article(on(2016, 3, 2), world["corbyn"], headline="By someone else")
    draft = article(on(2016, 3, 3), world["corbyn"], headline="Jane's draft", status="draft")
    draft.authors.add(jane)
    response = client.get("/authors/jane-doe/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1>Jane Doe</h1>", html)
    assert response.context["total"] == 1
    assert "By Jane" in html and "By someone else" not in html and "Jane's draft" not in html
    assert 'href="/articles/?author=jane-doe"' in html
    assert client.get("/authors/nobody/").status_code == 404
    # The article's byline links to the author's page.
    assert 'href="/authors/jane-doe/"' in client.get(mine.get_absolute_url()).content.decode()


def test_unknown_topic_or_source_is_404(client, world):
    assert client.get("/topics/nope/").status_code == 404
    assert client.get("/sources/nope/").status_code == 404


def test_drafts_scheduled_and_unconfirmed_never_show(client, world):
    brexit = world["brexit"]
    article(on(2016, 1, 1), world["corbyn"], topics=[brexit], headline="Public one")
    article(
        on(2016, 1, 2),
        world["may"],
        topics=[brexit],
        headline="A draft",
        status=Article.Status.DRAFT,
    )
    article(on(2030, 1, 1), world["may"], topics=[brexit], headline="Scheduled one")
    unconfirmed = article(on(2016, 1, 3), topics=[brexit], headline="Second public")
    MentionFactory(article=unconfirmed, politician=world["abbott"], state=Mention.State.SUGGESTED)
    response = client.get("/topics/brexit/")
    html = response.content.decode()
    assert "Public one" in html and "Second public" in html
    assert "A draft" not in html and "Scheduled one" not in html
    assert response.context["total"] == 2
    assert sum(bar.count for bar in response.context["chart"].bars) == 2
    assert [r["name"] for r in response.context["most_mentioned"]] == ["Jeremy Corbyn"]
    assert "Theresa May" not in html and "Diane Abbott" not in html


def test_articles_are_paged(client, world, monkeypatch):
    monkeypatch.setattr("articles.web.views.subjects.PER_PAGE", 2)
    for day in range(1, 6):
        article(on(2016, 1, day), topics=[world["brexit"]], headline=f"Day {day}")
    first = client.get("/topics/brexit/")
    assert [a.headline for a in first.context["page_obj"].object_list] == ["Day 5", "Day 4"]
    assert 'href="?page=2"' in first.content.decode()
    last = client.get("/topics/brexit/?page=3")
    assert [a.headline for a in last.context["page_obj"].object_list] == ["Day 1"]


@pytest.mark.parametrize(
    "page, status, message",
    [
        ("abc", 400, "“abc” is not a page number"),
        ("0", 400, "“0” is not a page number"),
        ("-1", 400, "“-1” is not a page number"),
        ("99", 404, "There is no page 99"),
    ],
)
def test_bad_page_gives_a_sentence_not_everything(client, world, page, status, message):
    article(on(2016, 1, 1), topics=[world["brexit"]], headline="Only one")
    response = client.get("/topics/brexit/", {"page": page})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "Only one" not in html


def test_an_empty_topic_says_so(client, world):
    response = client.get("/topics/economy/")
    assert response.status_code == 200
    assert "No articles yet." in response.content.decode()
    assert response.context["chart"] is None


def test_pages_keep_to_a_query_budget(client, world, django_assert_max_num_queries):
    people = [PoliticianFactory() for _ in range(12)]
    for day in range(1, 29):
        article(
            on(2016, 2, day), *people[: day % 12 + 1], topics=[world["brexit"]], source=world["bbc"]
        )
    for url in ("/topics/brexit/", "/sources/bbc/", "/topics/brexit/?page=2"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_a_subject_without_stored_counts_counts_its_articles(rf, world):
    """The generic page, for a facet whose months the stored counts do not keep: the same
    months as the stored counts give for it."""
    article(on(2016, 6, 24), world["corbyn"], topics=[world["brexit"]], headline="Counted")
    article(on(2016, 8, 1), world["corbyn"], topics=[world["brexit"]], headline="Again")
    article(on(2016, 8, 2), topics=[world["brexit"]], status=Article.Status.DRAFT)
    article(on(2016, 8, 3), topics=[world["economy"]])
    view = subject_page(Topic, "topic")
    assert view.subject == Subject(Topic, "topic", None)
    response = view(rf.get("/topics/brexit/"), slug="brexit")
    assert response.status_code == 200
    assert "Counted" in response.content.decode()
    brexit = world["brexit"]
    counted = view.subject.monthly(brexit, view.subject.selection(brexit).qs, None)
    assert counted == {dt.date(2016, 6, 1): 1, dt.date(2016, 8, 1): 1}
    stored = Subject(Topic, "topic", ArticleCount.Dimension.TOPIC)
    assert stored.monthly(brexit, None, None) == counted


def test_sitemap_lists_topic_and_source_pages(client, world):
    article(on(2016, 1, 1), topics=[world["brexit"]], source=world["bbc"])
    xml = client.get(reverse("sitemap-section", kwargs={"section": "topics"})).content.decode()
    assert "/topics/brexit/" in xml
    xml = client.get(reverse("sitemap-section", kwargs={"section": "sources"})).content.decode()
    assert "/sources/bbc/" in xml
