"""Deep pages seek their month from the stored counts: the same articles as plain slicing."""

import datetime as dt
import random

import pytest
from django.http import QueryDict

from articles import derived
from articles.facets.filters import ArticleFilter
from articles.web import paging
from articles.web.views import browse
from tests.factories import (
    ArticleFactory,
    MentionFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 1, 1, 12, 0, tzinfo=dt.UTC)
STATES = [
    "",
    "sort=oldest",
    "year=2019",
    "year=2020&sort=oldest",
    "politician=pat",
    "politician=pat&sort=oldest",
    "topic=t0&source=s1",
    "source=s0&from=2019-02-10&to=2020-06-30",
    "politician=pat&year=2020",
]


@pytest.fixture
def archive(time_machine, monkeypatch):
    time_machine.move_to(NOW, tick=False)
    monkeypatch.setattr(paging, "SEEK_FROM", 0)  # every page seeks
    monkeypatch.setattr(browse, "PER_PAGE", 7)
    rng = random.Random(3)
    sources = [SourceFactory(name=f"Source {i}", slug=f"s{i}") for i in range(2)]
    topics = [TopicFactory(name=f"Topic {i}", slug=f"t{i}") for i in range(2)]
    pat = PoliticianFactory(name="Pat", slug="pat")
    with derived.change() as tracker:
        created = []
        for i in range(140):
            # Several articles share a time, so that ties are broken by id across months.
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 800))
            article = ArticleFactory(
                headline=f"Story {i}",
                published_at=on(day.year, day.month, day.day, rng.choice([0, 12, 23])),
                source=rng.choice(sources),
                topics=rng.sample(topics, rng.randrange(0, 3)),
                status="draft" if i % 13 == 0 else "published",
            )
            created.append(article.pk)
            if i % 3:
                MentionFactory(article=article, politician=pat)
        tracker.created(created)


@pytest.mark.parametrize("state", STATES)
def test_every_page_holds_the_articles_plain_slicing_gives(client, archive, state):
    filterset = ArticleFilter(QueryDict(state))
    assert filterset.is_valid()
    expected = list(filterset.qs.values_list("pk", flat=True))
    assert len(expected) > 14  # more than two pages
    shown, number = [], 1
    while True:
        response = client.get(f"/articles/?{state}&page={number}")
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert isinstance(page.paginator, paging.SeekingPaginator)
        shown += [article.pk for article in page.object_list]
        if not page.has_next():
            break
        number += 1
    assert shown == expected
