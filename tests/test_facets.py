"""Facet counts against a straightforward computation, and against clicking each option."""

import datetime as dt
import random

import pytest
from django.http import QueryDict

from articles.facets.counting import facet_counts
from articles.facets.filters import ArticleFilter
from articles.facets.spec import FACETS
from articles.models import Mention
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

# Party memberships: (party slug, start, end); Carswell switches from the Conservatives to UKIP.
MEMBERSHIPS = {
    "carswell": [
        ("con", dt.date(2005, 1, 1), dt.date(2014, 8, 27)),
        ("ukip", dt.date(2014, 8, 28), dt.date(2017, 3, 25)),
    ],
    "reckless": [
        ("con", dt.date(2010, 1, 1), dt.date(2014, 9, 26)),
        ("ukip", dt.date(2014, 9, 27), None),
    ],
    "corbyn": [("lab", dt.date(1983, 1, 1), None)],
    "abbott": [("lab", dt.date(1987, 1, 1), None)],
    "cameron": [("con", dt.date(2001, 1, 1), None)],
    "farage": [("ukip", dt.date(1993, 1, 1), dt.date(2018, 12, 4))],
    "lucas": [("green", dt.date(2008, 1, 1), None)],
    "bercow": [("con", dt.date(1997, 1, 1), dt.date(2009, 6, 22))],  # then no party
}
WORDS = ["giraffe", "budget", "referendum", "hospital"]
STATES = [
    "",
    "party=con",
    "party=ukip&year=2014",
    "party=con&party=green",
    "politician=carswell",
    "politician=carswell&politician=corbyn&role=quoted",
    "politician=farage&party=con",
    "topic=brexit",
    "topic=brexit&topic=nhs&source=bbc",
    "source=bbc&source=times",
    "year=2014",
    "year=2015&month=3",
    "from=2014-06-01&to=2015-06-30",
    "q=giraffe",
    "q=budget&party=lab&topic=economy",
    "politician=abbott&politician=lucas&party=ukip&party=lab&year=2016",
    "author=jones",
    "author=jones&author=patel&topic=brexit",
    "author=smith&year=2015&politician=corbyn",
]


@pytest.fixture
def archive():
    """About 120 articles with varied sources, topics, dates and mentions (seeded)."""
    rng = random.Random(20160623)
    bylines = random.Random(7)  # its own stream: the rest of the archive stays as it was
    parties = {
        slug: PartyFactory(name=name, slug=slug, colour=colour)
        for slug, name, colour in [
            ("lab", "Labour", "#E4003B"),
            ("con", "Conservatives", "#0087DC"),
            ("ukip", "UKIP", "#6D3177"),
            ("green", "Green", "#02A95B"),
        ]
    }
    politicians = {}
    for slug, memberships in MEMBERSHIPS.items():
        politicians[slug] = PoliticianFactory(name=slug.title(), slug=slug)
        for party, start, end in memberships:
            MembershipFactory(
                politician=politicians[slug], party=parties[party], start_date=start, end_date=end
            )
    sources = {slug: SourceFactory(name=slug.upper(), slug=slug) for slug in ["bbc", "times", "ft"]}
    topics = {
        slug: TopicFactory(name=slug.title(), slug=slug) for slug in ["brexit", "nhs", "economy"]
    }
    authors = {
        slug: AuthorFactory(name=slug.title(), slug=slug) for slug in ["jones", "patel", "smith"]
    }
    model = []
    start = dt.date(2012, 1, 1)
    for i in range(120):
        day = start + dt.timedelta(days=rng.randrange(0, 6 * 365))
        words = rng.sample(WORDS, rng.randrange(0, 3))
        article = ArticleFactory(
            headline=f"Article {i}",
            body=" ".join(["Some text about", *words, "and more."]),
            published_at=on(day.year, day.month, day.day, rng.choice([0, 9, 12, 23])),
            source=rng.choice(list(sources.values())),
            topics=rng.sample(list(topics.values()), rng.randrange(0, 3)),
            authors=bylines.sample(list(authors.values()), bylines.randrange(0, 3)),
            status="draft" if i % 17 == 0 else "published",
        )
        mentions = []
        for slug in rng.sample(list(politicians), rng.randrange(0, 4)):
            role = rng.choice(list(Mention.Role))
            state = Mention.State.SUGGESTED if rng.random() < 0.1 else Mention.State.CONFIRMED
            MentionFactory(article=article, politician=politicians[slug], role=role, state=state)
            if state == Mention.State.CONFIRMED:
                mentions.append((slug, role.value, party_on(slug, article.published_on)))
        if article.status == "published":
            model.append(
                {
                    "date": article.published_on,
                    "source": article.source.slug,
                    "topics": {t.slug for t in article.topics.all()},
                    "authors": {a.slug for a in article.authors.all()},
                    "mentions": mentions,
                    "words": set(words),
                }
            )
    # Carswell in 2013 (a Conservative then) and in 2016 (UKIP by then).
    for when, headline in [(on(2013, 5, 1), "Carswell the Tory"), (on(2016, 6, 1), "Carswell")]:
        article = ArticleFactory(headline=headline, published_at=when, source=sources["ft"])
        MentionFactory(article=article, politician=politicians["carswell"], role="subject")
        model.append(
            {
                "date": article.published_on,
                "source": "ft",
                "topics": set(),
                "authors": set(),
                "mentions": [("carswell", "subject", party_on("carswell", article.published_on))],
                "words": set(),
            }
        )
    return model


def party_on(slug, day):
    for party, start, end in MEMBERSHIPS[slug]:
        if start <= day and (end is None or day <= end):
            return party
    return None


def matches(article, params, without=()):
    """Whether an article of the straightforward model fits ``params`` (a QueryDict)."""
    get = params.getlist

    if "politician" not in without and get("politician"):
        roles = get("role") or [r.value for r in Mention.Role]
        if not any(s in get("politician") and r in roles for s, r, _p in article["mentions"]):
            return False
    parties = {p for _s, _r, p in article["mentions"]}
    if "party" not in without and get("party") and not parties & set(get("party")):
        return False
    if "topic" not in without and get("topic") and not article["topics"] & set(get("topic")):
        return False
    if "source" not in without and get("source") and article["source"] not in get("source"):
        return False
    if "author" not in without and get("author") and not article["authors"] & set(get("author")):
        return False
    if "year" not in without and get("year"):
        if article["date"].year != int(get("year")[0]):
            return False
        if get("month") and article["date"].month != int(get("month")[0]):
            return False
    if get("from") and article["date"] < dt.date.fromisoformat(get("from")[0]):
        return False
    if get("to") and article["date"] > dt.date.fromisoformat(get("to")[0]):
        return False
    return not (get("q") and get("q")[0] not in article["words"])


def expected_counts(model, params):
    """What each facet option should show, computed the plain way: {facet: {value: count}}."""
    total = sum(matches(a, params) for a in model)
    expected = {}
    for facet in ("politician", "party", "topic", "source", "author"):
        others = [a for a in model if matches(a, params, without={facet})]
        selected = set(params.getlist(facet))
        values = set()
        for a in others:
            if facet == "politician":
                roles = params.getlist("role") or [r.value for r in Mention.Role]
                values |= {s for s, r, _p in a["mentions"] if r in roles}
            elif facet == "party":
                values |= {p for _s, _r, p in a["mentions"] if p}
            elif facet == "topic":
                values |= a["topics"]
            elif facet == "author":
                values |= a["authors"]
            else:
                values.add(a["source"])
        counts = {}
        for value in values - selected:
            clicked = params.copy()
            clicked.setlist(facet, [*selected, value])
            n = sum(matches(a, clicked) for a in model)
            if n > (total if selected else 0):
                counts[value] = n
        expected[facet] = counts
    year_others = [a for a in model if matches(a, params, without={"year"})]
    years = {}
    for a in year_others:
        years[a["date"].year] = years.get(a["date"].year, 0) + 1
    years.pop(int(params["year"]) if params.get("year") else None, None)
    expected["year"] = {str(y): n for y, n in years.items()}
    if params.get("year"):
        months = {}
        for a in year_others:
            if a["date"].year == int(params["year"]):
                months[a["date"].month] = months.get(a["date"].month, 0) + 1
        months.pop(int(params["month"]) if params.get("month") else None, None)
        expected["month"] = {str(m): n for m, n in months.items()}
    return total, expected


def shown_counts(counts):
    return {
        facet.name: {o.value: o.count for o in facet.options if not o.selected}
        for facet in counts.facets
    }


def test_counts_equal_a_straightforward_computation(archive):
    for state in STATES:
        params = QueryDict(state)
        filterset = ArticleFilter(params)
        assert filterset.is_valid(), filterset.errors
        counts = facet_counts(filterset)
        total, expected = expected_counts(archive, params)
        assert counts.total == total == filterset.qs.count(), state
        assert shown_counts(counts) == expected, state
        assert any(expected.values()), state


def test_each_count_is_what_clicking_the_option_gives(archive, client):
    # A sample of the states above (every option of each is followed).
    for state in STATES[1::3]:
        response = client.get(f"/articles/?{state}")
        assert response.status_code == 200
        clicked = 0
        for facet in response.context["counts"].facets:
            for option in facet.options:
                if option.selected:
                    continue
                after = client.get(f"/articles/{option.url}")
                assert after.status_code == 200
                assert after.context["counts"].total == option.count, (state, option.url)
                assert after.context["paginator"].count == option.count
                clicked += 1
        assert clicked > 0, state


def test_party_is_the_party_on_the_articles_date(archive):
    counts = facet_counts(ArticleFilter(QueryDict("politician=carswell&year=2013&month=5")))
    parties = {o.value: o.count for o in counts.facet("party").options}
    assert parties.get("con", 0) >= 1
    tory = ArticleFilter(QueryDict("party=con&year=2013&month=5&politician=carswell"))
    assert "Carswell the Tory" in [a.headline for a in tory.qs]
    ukip = ArticleFilter(QueryDict("party=ukip&politician=carswell"))
    assert "Carswell the Tory" not in [a.headline for a in ukip.qs]
    assert "Carswell" in [a.headline for a in ukip.qs]


def test_politician_facet_shows_the_top_and_a_way_to_the_rest(archive):
    filterset = ArticleFilter(QueryDict(""))
    counts = facet_counts(filterset, politician_limit=3)
    facet = counts.facet("politician")
    assert len(facet.options) == 3
    shown = [o.count for o in facet.options]
    assert shown == sorted(shown, reverse=True)
    assert facet.more_url == "?show=politicians"
    everyone = facet_counts(ArticleFilter(QueryDict("show=politicians"))).facet("politician")
    assert len(everyone.options) == len(MEMBERSHIPS)
    assert everyone.fewer_url == "?"


def test_selected_politicians_are_listed_even_with_nothing_else_to_add(archive):
    counts = facet_counts(ArticleFilter(QueryDict("politician=bercow&year=2012")))
    selected = [o for o in counts.facet("politician").options if o.selected]
    assert [o.value for o in selected] == ["bercow"]


def test_counts_are_made_with_one_query_per_facet(archive, django_assert_max_num_queries):
    state = "politician=carswell&party=con&topic=brexit&source=bbc&year=2014&month=5&q=budget"
    filterset = ArticleFilter(QueryDict(state))
    assert filterset.is_valid()  # four queries resolve the slugs
    # One per facet and one for the years, and one reading the archive's size (small: no
    # estimates, no sample).
    with django_assert_max_num_queries(len(FACETS) + 2):
        facet_counts(filterset)


def test_an_empty_archive_has_no_options():
    counts = facet_counts(ArticleFilter(QueryDict("")))
    assert counts.total == 0
    assert all(not facet.options for facet in counts.facets)


@pytest.mark.django_db(transaction=True)
def test_warming_reads_the_sample_into_memory_once(django_assert_max_num_queries):
    from articles.facets import sample as held

    held._read.clear()
    held.warm()
    assert "default" in held._read
    with django_assert_max_num_queries(1):  # the token only: the arrays are held already
        held.sampled_articles()
