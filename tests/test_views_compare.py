"""The compare-coverage page and its CSV and JSON: the figures equal a count of the articles,
bad selections get a 400 with a sentence, and only what readers may see is counted."""

import csv
import datetime as dt
import io
import random
from collections import Counter

import pytest

from articles import derived
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    on,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def people():
    labour = PartyFactory(name="Labour Party", short_name="Labour", slug="labour", colour="#E4003B")
    tories = PartyFactory(name="Conservative Party", slug="conservative", colour="#0087DC")
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    may = PoliticianFactory(name="Theresa May", slug="theresa-may")
    MembershipFactory(politician=corbyn, party=labour, start_date=dt.date(1983, 6, 9))
    MembershipFactory(politician=may, party=tories, start_date=dt.date(1997, 5, 1))
    return {"labour": labour, "tories": tories, "corbyn": corbyn, "may": may}


def mention(politician, when, **kwargs):
    article = ArticleFactory(published_at=when, **kwargs)
    MentionFactory(article=article, politician=politician)
    return article


def series(client, query):
    response = client.get(f"/compare/data.json?{query}")
    assert response.status_code == 200, response.content
    data = response.json()
    return {
        (s["kind"], s["slug"]): {
            dt.date(int(m[:4]), int(m[5:]), 1): n
            for m, n in zip(data["months"], s["articles"], strict=True)
            if n
        }
        for s in data["subjects"]
    }


def by_month(articles):
    return dict(Counter(dt.date(a.published_on.year, a.published_on.month, 1) for a in articles))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_series_equal_a_count_of_the_published_articles(client, frozen, seed):
    rng = random.Random(seed)
    parties = [PartyFactory(name=f"Party {i}") for i in range(3)]
    persons = [PoliticianFactory(name=f"Person {i}") for i in range(7)]
    for person in persons[:6]:
        first, second = rng.sample(parties, 2)
        switch = dt.date(2016, rng.randrange(1, 13), rng.randrange(1, 28))
        MembershipFactory(politician=person, party=first, start_date=None, end_date=switch)
        if rng.random() < 0.7:
            later = switch + dt.timedelta(days=rng.randrange(1, 60))
            MembershipFactory(politician=person, party=second, start_date=later)
    with derived.change():
        for i in range(150):
            day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
            article = ArticleFactory(
                published_at=on(day.year, day.month, day.day, rng.choice([0, 12, 23])),
                status="draft" if i % 9 == 0 else "published",
            )
            for person in rng.sample(persons, rng.randrange(1, 4)):
                MentionFactory(
                    article=article,
                    politician=person,
                    state=rng.choice(["confirmed"] * 5 + ["suggested", "rejected"]),
                )
        # Published with a date still to come: later today, this month and next month.
        for later in (dt.timedelta(hours=3), dt.timedelta(days=2), dt.timedelta(days=40)):
            article = ArticleFactory(published_at=NOW + later)
            for person in persons[:3]:
                MentionFactory(article=article, politician=person)
    chosen = rng.sample(persons, 3) + rng.sample(parties, 2)
    query = "&".join(
        f"{'party' if hasattr(item, 'colour') else 'politician'}={item.slug}" for item in chosen
    )
    got = series(client, query)
    public = Article.objects.published(NOW)
    for item in chosen:
        if hasattr(item, "colour"):
            expected = by_month(public.in_party(item))
            assert got[("party", item.slug)] == expected, item
        else:
            expected = by_month(public.mentioning(item))
            assert got[("politician", item.slug)] == expected, item
    assert any(got.values()), "the random archive gives something to compare"


def test_drafts_and_scheduled_articles_never_count(client, frozen, people):
    corbyn = people["corbyn"]
    mention(corbyn, on(2020, 6, 1))
    mention(corbyn, on(2020, 6, 2), status="draft")
    mention(corbyn, NOW + dt.timedelta(hours=2))  # published, but not yet public
    mention(corbyn, on(2020, 8, 1))  # a month of its own, in the future
    response = client.get("/compare/?politician=jeremy-corbyn&party=labour")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [s.total for s in chart.series] == [1, 1]
    assert chart.axis.start == chart.axis.end == dt.date(2020, 6, 1)
    html = response.content.decode()
    assert "Jeremy Corbyn: 1 article; Labour Party: 1 article, in June 2020." in html
    rows = list(
        csv.reader(io.StringIO(client.get("/compare/data.csv?party=labour").content.decode()))
    )
    assert rows == [["month", "party:labour"], ["2020-06", "1"]]


def test_page_shows_lines_legend_and_table_in_party_colours(client, frozen, people):
    for month in (1, 3, 3, 4):
        mention(people["corbyn"], on(2016, month, 10))
    mention(people["may"], on(2016, 7, 13))
    response = client.get("/compare/?politician=theresa-may&party=labour&politician=jeremy-corbyn")
    assert response.status_code == 200
    html = response.content.decode()
    chart = response.context["chart"]
    assert [s.name for s in chart.series] == ["Theresa May", "Jeremy Corbyn", "Labour Party"]
    assert chart.series[2].colour == "#E4003B"  # the party's own
    assert len({s.colour for s in chart.series}) == 3
    assert html.count('<polyline class="chart-line"') == 3
    assert 'stroke="#E4003B"' in html
    assert chart.by == "month"
    assert [(row.label, row.counts) for row in chart.rows][2] == ("March 2016", (0, 2, 2))
    assert chart.totals == (1, 4, 4)
    assert "<caption>Articles per month</caption>" in html
    assert 'href="/compare/?politician=jeremy-corbyn&amp;party=labour"' in html  # remove May
    assert (
        "/compare/data.csv?politician=theresa-may&amp;politician=jeremy-corbyn&amp;party=labour"
        in html
    )


def test_a_long_span_is_tabulated_by_year(client, frozen, people):
    mention(people["corbyn"], on(2010, 1, 1))
    mention(people["corbyn"], on(2016, 6, 1))
    mention(people["corbyn"], on(2016, 7, 1))
    chart = client.get("/compare/?politician=jeremy-corbyn").context["chart"]
    assert chart.by == "year"
    assert [(r.label, r.counts) for r in chart.rows] == [
        (str(y), (2 if y == 2016 else 1 if y == 2010 else 0,)) for y in range(2010, 2017)
    ]


def test_empty_selection_shows_the_form_with_examples(client, frozen, people):
    mention(people["corbyn"], on(2016, 1, 1))
    mention(people["may"], on(2016, 2, 1))
    response = client.get("/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="add"' in html and 'name="party"' in html
    assert "Jeremy Corbyn and Theresa May" in html
    assert "/compare/?politician=" in html


@pytest.mark.parametrize(
    ("query", "sentence"),
    [
        ("politician=nobody-at-all", "There is no politician at the address “nobody-at-all”."),
        ("party=nope", "There is no party at the address “nope”."),
        ("politician=%3Cscript%3E", "is not the address of a politician"),
        ("politician=a%20b", "is not the address of a politician"),
        ("party=%00%01", "is not the address of a party"),
        ("politician=" + "x" * 5000, "is not the address of a politician"),
        ("politician=a&politician=b&politician=c&party=d&party=e&party=f", "up to 5"),
        ("add=zzzz-nobody", "No politician has a name containing “zzzz-nobody”."),
    ],
)
def test_bad_selections_get_a_400_with_a_sentence(client, people, query, sentence):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 400
    assert sentence in response.content.decode()
    assert client.get(f"/compare/data.csv?{query}").status_code == 400
    data = client.get(f"/compare/data.json?{query}")
    assert data.status_code == 400 and data.json()["error"]


def test_a_bad_selection_keeps_what_it_can(client, people):
    response = client.get("/compare/?politician=jeremy-corbyn&party=nope&add=zzzz")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<input type="hidden" name="politician" value="jeremy-corbyn">' in html
    assert 'value="zzzz"' in html  # what was typed stays in the box


def test_adding_a_politician_by_name(client, people):
    PoliticianFactory(name="Theresa Villiers", slug="theresa-villiers")
    response = client.get("/compare/?party=labour&add=theresa")
    assert response.status_code == 200
    # In the order of their sort names (the factory's surnames here: either order).
    assert sorted(p.name for p, _ in response.context["selection"].suggestions) == [
        "Theresa May",
        "Theresa Villiers",
    ]
    assert "/compare/?party=labour&amp;politician=theresa-may" in response.content.decode()
    response = client.get("/compare/?party=labour&add=Theresa+May")
    assert response.status_code == 302
    assert response["Location"] == "/compare/?politician=theresa-may&party=labour"
    full = "&".join(f"party=p{i}" for i in range(5))
    for i in range(5):
        PartyFactory(name=f"P{i}", slug=f"p{i}")
    response = client.get(f"/compare/?{full}&add=Theresa+May")
    assert response.status_code == 400 and "up to 5" in response.content.decode()


def test_no_empty_or_duplicate_values(client, frozen, people):
    mention(people["corbyn"], on(2016, 1, 1))
    response = client.get("/compare/?politician=jeremy-corbyn&politician=jeremy-corbyn&party=")
    assert response.status_code == 200
    assert [s.slug for s in response.context["selection"].subjects] == ["jeremy-corbyn"]


def test_politician_and_party_pages_link_here(client, frozen, people):
    mention(people["corbyn"], on(2016, 1, 1))
    html = client.get("/politicians/jeremy-corbyn/").content.decode()
    assert '<a href="/compare/?politician=jeremy-corbyn">Compare with…</a>' in html
    html = client.get("/parties/labour/").content.decode()
    assert '<a href="/compare/?party=labour">Compare with…</a>' in html


def test_query_budget(client, frozen, django_assert_max_num_queries):
    parties = [PartyFactory(name=f"Party {i}", colour="#123456") for i in range(3)]
    persons = [PoliticianFactory(name=f"Person {i}") for i in range(2)]
    for i in range(60):
        article = ArticleFactory(published_at=on(2010 + i % 10, 1 + i % 12, 1))
        for person in persons:
            MentionFactory(article=article, politician=person)
    # One party at a time: the third party's member is someone not compared.
    members = [*persons, PoliticianFactory(name="Person 2")]
    for party, person in zip(parties, members, strict=True):
        MembershipFactory(politician=person, party=party, start_date=None)
    query = "&".join(
        [f"politician={p.slug}" for p in persons] + [f"party={p.slug}" for p in parties]
    )
    for url in (f"/compare/?{query}", f"/compare/data.csv?{query}", f"/compare/data.json?{query}"):
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/compare/").status_code == 200
