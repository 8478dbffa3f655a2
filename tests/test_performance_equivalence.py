"""The optimised facet, timeline and party queries equal straightforward ones on varied data.

The straightforward queries are plain ORM over Article and Mention with the obvious joins and
DISTINCT, the way one would first write them; the optimised ones (EXISTS / NOT EXISTS, the
denormalised mention date and party, grouped counts) must give the same numbers.
"""

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.http import QueryDict

from articles import derived
from articles.facets.counting import facet_counts
from articles.facets.filters import ArticleFilter
from articles.models import Article, Mention, Politician
from articles.web import timeline
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

NOW = dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC)
STATES = [
    "",
    "politician=switcher",
    "politician=switcher&role=subject",
    "politician=switcher&politician=p1",
    "party=blue",
    "party=blue&party=red",
    "party=red&year=2016",
    "year=2017",
    "year=2017&month=7",
    "year=2021",  # a year with no articles yet (as late as the filters allow)
    "show=politicians",
    "topic=t0",
    "source=s1&year=2019",
    "party=red&year=2017&month=7",
    "politician=switcher&year=2017",
    "politician=p1&politician=p2",
    "topic=t1&topic=t2&year=2016",
    "source=s0&source=s2",
    "party=green&year=2018&month=5",
    "politician=p2&party=blue&topic=t0",
    "topic=t0&topic=t1&source=s0",
    "source=s1&year=2019&month=3",
    "from=2016-01-01&to=2018-12-31&party=green",
    "to=2017-06-30&politician=switcher",
    "from=2017-07-01&to=2017-07-01",
    "from=2017-06-30&source=s0",
    "author=a0",
    "author=a1&author=a2&year=2017",
    "author=a0&topic=t1&politician=switcher",
    "author=a2&year=2016&month=3",
    "show=authors",
]


@pytest.fixture
def archive(time_machine):
    """Varied articles: a party switcher, drafts, future-dated articles, all mention states."""
    time_machine.move_to(NOW, tick=False)
    # Built as one change, like an import: the stored counts are recounted once at the end.
    with derived.change():
        return _build_archive()


def _build_archive():
    rng = random.Random(5)
    red = PartyFactory(name="Red", slug="red")
    blue = PartyFactory(name="Blue", slug="blue")
    green = PartyFactory(name="Green", slug="green")
    switcher = PoliticianFactory(name="Switcher", slug="switcher")
    MembershipFactory(
        politician=switcher, party=red, start_date=None, end_date=dt.date(2017, 6, 30)
    )
    MembershipFactory(politician=switcher, party=blue, start_date=dt.date(2017, 7, 1))
    people = [switcher]
    for i, party in enumerate([red, blue, green, None, red]):
        person = PoliticianFactory(name=f"Person {i}", slug=f"p{i}")
        if party:
            MembershipFactory(politician=person, party=party, start_date=dt.date(2014, 1, 1))
        people.append(person)
    sources = [SourceFactory(name=f"Source {i}", slug=f"s{i}") for i in range(3)]
    topics = [TopicFactory(name=f"Topic {i}", slug=f"t{i}") for i in range(3)]
    authors = [AuthorFactory(name=f"Author {i}", slug=f"a{i}") for i in range(3)]
    bylines = random.Random(6)  # its own stream: the rest of the archive stays as it was
    states = [Mention.State.CONFIRMED] * 6 + [Mention.State.SUGGESTED, Mention.State.REJECTED]
    for i in range(90):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))  # to end 2020
        article = ArticleFactory(
            headline=f"Article {i}",
            published_at=on(day.year, day.month, day.day, rng.choice([0, 12, 23])),
            source=rng.choice(sources),
            topics=rng.sample(topics, rng.randrange(0, 3)),
            authors=bylines.sample(authors, bylines.randrange(0, 3)),
            status="draft" if i % 11 == 0 else "published",
        )
        for person in rng.sample(people, rng.randrange(0, 4)):
            MentionFactory(
                article=article,
                politician=person,
                role=rng.choice(list(Mention.Role)),
                state=rng.choice(states),
            )
    # Articles on the first and last moments of the days the date filters below end on.
    for i, moment in enumerate([on(2017, 6, 30, 0), on(2017, 6, 30, 23), on(2017, 7, 1, 0)]):
        article = ArticleFactory(
            headline=f"Boundary {i}", published_at=moment, source=sources[i], status="published"
        )
        MentionFactory(article=article, politician=switcher, state=Mention.State.CONFIRMED)
    return {"people": people, "parties": [red, blue, green]}


def plain(params):
    """The articles ``params`` select, with plain joins and DISTINCT."""
    qs = Article.objects.filter(status="published", published_at__lte=NOW)
    confirmed = Mention.State.CONFIRMED
    if params.getlist("politician"):
        ids = Politician.objects.filter(slug__in=params.getlist("politician"))
        mentions = Mention.objects.filter(state=confirmed, politician__in=ids)
        if params.get("role"):
            mentions = mentions.filter(role=params["role"])
        qs = qs.filter(pk__in=mentions.values("article"))
    if params.getlist("party"):
        qs = qs.filter(mentions__state=confirmed, mentions__party__slug__in=params.getlist("party"))
    if params.getlist("topic"):
        qs = qs.filter(topics__slug__in=params.getlist("topic"))
    if params.getlist("source"):
        qs = qs.filter(source__slug__in=params.getlist("source"))
    if params.getlist("author"):
        qs = qs.filter(authors__slug__in=params.getlist("author"))
    ids = [a.pk for a in qs.distinct()]
    chosen = []
    for a in Article.objects.filter(pk__in=ids):
        day = a.published_on
        if params.get("year") and day.year != int(params["year"]):
            continue
        if params.get("month") and day.month != int(params["month"]):
            continue
        if params.get("from") and day < dt.date.fromisoformat(params["from"]):
            continue
        if params.get("to") and day > dt.date.fromisoformat(params["to"]):
            continue
        chosen.append(a.pk)
    return chosen


@pytest.mark.parametrize("state", STATES)
def test_facet_counts_equal_straightforward_counts(archive, state):
    params = QueryDict(state)
    filterset = ArticleFilter(params)
    assert filterset.is_valid(), filterset.errors
    counts = facet_counts(filterset, politician_limit=100)
    total = len(plain(params))
    assert counts.total == total
    assert [a.pk for a in filterset.qs] == list(
        Article.objects.filter(pk__in=plain(params)).values_list("pk", flat=True)
    )
    for name in ("politician", "party", "topic", "source", "author"):
        facet = counts.facet(name)
        selected = params.getlist(name)
        shown = {o.value: o.count for o in facet.options if not o.selected}
        for option in facet.options:
            if option.selected:
                continue
            clicked = params.copy()
            clicked.setlist(name, [*selected, option.value])
            assert option.count == len(plain(clicked)), (name, option.value)
        # Options left out would add nothing.
        for value in {
            "politician": [p.slug for p in archive["people"]],
            "party": ["red", "blue", "green"],
            "topic": ["t0", "t1", "t2"],
            "source": ["s0", "s1", "s2"],
            "author": ["a0", "a1", "a2"],
        }[name]:
            if value in selected or value in shown:
                continue
            clicked = params.copy()
            clicked.setlist(name, [*selected, value])
            assert len(plain(clicked)) == (total if selected else 0), (name, value)
    years = {o.value: o.count for o in counts.facet("year").options if not o.selected}
    for year, n in years.items():
        clicked = params.copy()
        clicked.setlist("year", [year])
        clicked.pop("month", None)
        assert n == len(plain(clicked))


def straightforward_months(mentions):
    """{first of month: articles} from the articles' own dates, in the archive's time zone."""
    months = {}
    for article in Article.objects.filter(pk__in=mentions.values("article")):
        key = article.published_on.replace(day=1)
        months[key] = months.get(key, 0) + 1
    return months


def test_timeline_counts_equal_straightforward_counts(archive):
    for person in archive["people"]:
        public = Mention.objects.filter(
            state=Mention.State.CONFIRMED,
            article__status="published",
            article__published_at__lte=NOW,
            politician=person,
        )
        assert set(timeline.visible_mentions(NOW).filter(politician=person)) == set(public)
        assert set(Mention.objects.public(NOW).filter(politician=person)) == set(public)
        months = timeline.monthly_counts(timeline.public_mentions(person, now=NOW))
        assert months == straightforward_months(public)
        assert timeline.politician_monthly_counts(person, now=NOW) == months
        for role in Mention.Role.values:
            narrowed = timeline.public_mentions(person, role=role, now=NOW)
            years = timeline.yearly_counts(narrowed)
            expected = {}
            for day in straightforward_months(public.filter(role=role)):
                expected[day.year] = expected.get(day.year, 0)
            for day, n in straightforward_months(public.filter(role=role)).items():
                expected[day.year] += n
            assert years == expected


def test_co_mentions_equal_straightforward_counts(archive):
    for person in archive["people"]:
        rows = timeline.co_mentioned(person, limit=100, now=NOW)
        got = {row["politician__slug"]: row["n"] for row in rows}
        shared = Article.objects.filter(
            status="published",
            published_at__lte=NOW,
            mentions__politician=person,
            mentions__state=Mention.State.CONFIRMED,
        )
        expected = dict(
            Mention.objects.filter(state=Mention.State.CONFIRMED, article__in=shared)
            .exclude(politician=person)
            .values_list("politician__slug")
            .annotate(n=Count("article", distinct=True))
        )
        assert got == expected


def test_party_coverage_equals_straightforward_counts(archive, client):
    for party in archive["parties"]:
        articles = Article.objects.filter(
            status="published",
            published_at__lte=NOW,
            mentions__state=Mention.State.CONFIRMED,
            mentions__party=party,
        ).distinct()
        assert timeline.party_monthly_counts(party, now=NOW) == straightforward_months(
            Mention.objects.filter(article__in=articles)
        )
        response = client.get(party.get_absolute_url())
        assert response.status_code == 200
        latest = [a.pk for a in response.context["latest"]]
        assert latest == [a.pk for a in articles.order_by("-published_at", "-id")[:20]]


def test_related_articles_equal_straightforward_query(archive):
    from articles.web.views.browse import RELATED, RELATED_WINDOW, related_articles

    for article in Article.objects.filter(status="published", published_at__lte=NOW):
        ids = list(
            article.mentions.filter(state=Mention.State.CONFIRMED).values_list(
                "politician", flat=True
            )
        )
        on = article.published_on
        expected = (
            Article.objects.filter(status="published", published_at__lte=NOW)
            .exclude(pk=article.pk)
            .filter(
                mentions__politician__in=ids,
                mentions__state=Mention.State.CONFIRMED,
                mentions__published_on__range=(on - RELATED_WINDOW, on + RELATED_WINDOW),
            )
            .annotate(shared=Count("mentions"))
            .order_by("-shared", "-published_at", "-id")[:RELATED]
        )
        got = related_articles(article, ids)
        assert [(a.pk, a.shared) for a in got] == [(a.pk, a.shared) for a in expected]


def test_co_mentions_over_a_window_count_the_latest_articles(archive):
    person = archive["people"][0]
    public = Article.objects.filter(
        status="published",
        published_at__lte=NOW,
        mentions__state=Mention.State.CONFIRMED,
        mentions__politician=person,
    ).order_by("-published_at", "-id")
    latest = list(public[:5])
    assert len(public) > 5
    expected = {}
    for article in latest:
        for m in article.mentions.filter(state=Mention.State.CONFIRMED).exclude(politician=person):
            expected[m.politician.slug] = expected.get(m.politician.slug, 0) + 1
    rows = timeline.co_mentioned(person, limit=100, now=NOW, window=5)
    assert {row["politician__slug"]: row["n"] for row in rows} == expected


# Estimated counts (articles/facets/estimates.py): with every article in the sample and every facet
# counted on it, the estimates must equal the exact counts (the multiplier is 1, and counts
# under 100 are not rounded). A set the sample finds empty is counted exactly instead.

SEARCH_STATES = ["q=article", "q=article&party=red", "q=article&politician=switcher&year=2017"]


def _figures(result):
    return {
        "total": result.total,
        **{
            facet.name: [(o.value, o.count, o.selected) for o in facet.options]
            for facet in result.facets
        },
    }


@pytest.mark.parametrize("state", STATES + SEARCH_STATES)
def test_estimated_counts_equal_exact_counts_on_a_full_sample(archive, settings, state):
    from articles.derived import sample

    settings.FACET_SAMPLE_EVERY = 1
    sample.rebuild()
    exact = facet_counts(ArticleFilter(QueryDict(state)), politician_limit=100)
    assert not any(facet.estimated for facet in exact.facets)  # a small archive: exact

    settings.FACET_EXACT_UP_TO = 0
    estimated = facet_counts(ArticleFilter(QueryDict(state)), politician_limit=100)
    assert _figures(estimated) == _figures(exact)
    filterset = ArticleFilter(QueryDict(state))
    if not filterset.only_dates_chosen() and estimated.total:  # (those read stored counts)
        assert any(facet.estimated for facet in estimated.facets)
        for facet in estimated.facets:
            assert all(o.estimate == facet.estimated for o in facet.options if not o.selected)


@pytest.mark.parametrize("state", STATES + SEARCH_STATES)
def test_estimated_sizes_measure_each_facets_articles(archive, settings, state):
    """With every article sampled, the sizes that decide between exact and estimated counts
    are the sizes of the sets counted (stored counts also hold published articles whose date
    is still to come, which readers do not see)."""
    from articles.derived import sample
    from articles.facets.estimates import Estimates

    settings.FACET_SAMPLE_EVERY = 1
    settings.FACET_EXACT_UP_TO = 0
    sample.rebuild()
    filterset = ArticleFilter(QueryDict(state))
    assert filterset.is_valid()
    estimates = Estimates.of(filterset)
    scheduled = Article.objects.filter(status="published", published_at__gt=NOW).count()
    sets = {"selection": filterset.articles()}
    sets.update({name: filterset.articles(without=f) for name, f in filterset.FACETS.items()})
    for name, articles in sets.items():
        assert articles.count() <= estimates.sizes[name] <= articles.count() + scheduled, name
