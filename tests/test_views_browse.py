import datetime as dt
import re

import pytest
import time_machine
from django.db import connection

from articles.models import Mention
from tests.factories import (
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


@pytest.fixture
def world():
    labour = PartyFactory(name="Labour Party", short_name="Lab", slug="labour", colour="#E4003B")
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    abbott = PoliticianFactory(name="Diane Abbott", slug="diane-abbott")
    MembershipFactory(politician=corbyn, party=labour, start_date=dt.date(1983, 1, 1))
    MembershipFactory(politician=abbott, party=labour, start_date=dt.date(1987, 1, 1))
    bbc = SourceFactory(name="BBC News", slug="bbc")
    brexit = TopicFactory(name="Brexit", slug="brexit")
    return {"labour": labour, "corbyn": corbyn, "abbott": abbott, "bbc": bbc, "brexit": brexit}


def article_about(politician, when, **kwargs):
    article = ArticleFactory(published_at=when, **kwargs)
    MentionFactory(article=article, politician=politician, role=Mention.Role.SUBJECT)
    return article


def h1(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


# The browser


def test_browser_lists_articles_with_a_heading_that_says_what_is_shown(client, world):
    article_about(world["corbyn"], on(2016, 6, 28), headline="Corbyn loses confidence vote")
    article_about(world["corbyn"], on(2015, 9, 12), headline="Corbyn elected")
    response = client.get("/articles/?politician=jeremy-corbyn&party=labour&year=2016")
    assert response.status_code == 200
    assert h1(response) == "Articles mentioning Jeremy Corbyn, Labour Party, 2016"
    assert "<title>Articles mentioning Jeremy Corbyn, Labour Party, 2016 ·" in (
        response.content.decode()
    )
    assert "Corbyn loses confidence vote" in response.content.decode()
    assert "Corbyn elected" not in response.content.decode()
    assert response.context["counts"].total == 1


def test_selected_filters_are_removable_chips(client, world):
    article_about(world["corbyn"], on(2016, 6, 28), topics=[world["brexit"]])
    response = client.get("/articles/?politician=jeremy-corbyn&topic=brexit")
    chips = dict(response.context["chips"])
    assert chips == {"Jeremy Corbyn": "?topic=brexit", "Brexit": "?politician=jeremy-corbyn"}
    html = response.content.decode()
    assert 'href="?topic=brexit"' in html
    assert '<a class="chips-clear" href="/articles/">Clear all</a>' in html


def test_every_state_is_a_url_and_pagination_keeps_it(client, world):
    for day in range(1, 26):
        article_about(world["abbott"], on(2016, 3, day), headline=f"Abbott day {day}")
    article_about(world["corbyn"], on(2016, 3, 26))
    first = client.get("/articles/?politician=diane-abbott&year=2016")
    assert first.context["counts"].total == 25
    assert len(first.context["page_obj"].object_list) == 20
    assert 'href="?politician=diane-abbott&amp;year=2016&amp;page=2"' in first.content.decode()
    second = client.get("/articles/?politician=diane-abbott&year=2016&page=2")
    assert second.status_code == 200
    assert [a.headline for a in second.context["page_obj"].object_list] == [
        f"Abbott day {day}" for day in range(5, 0, -1)
    ]
    # Facet links and chips drop the page number (a new selection starts on page one).
    assert all("page=" not in url for _label, url in second.context["chips"])


@pytest.mark.parametrize(
    "query, words",
    [
        ("politician=nobody", "There is no politician “nobody” in the archive."),
        ("party=labour&party=whigs", "There is no party “whigs” in the archive."),
        ("from=2016-02-30", "The start date must look like 2016-06-28."),
        ("to=tomorrow", "The end date must look like 2016-06-28."),
        ("year=twenty", "The year must be a number like 2016."),
        ("sort=random", "Sort by newest, oldest or relevance."),
    ],
)
def test_bad_parameters_give_400_with_a_notice(client, world, query, words):
    article_about(world["corbyn"], on(2016, 6, 28))
    response = client.get(f"/articles/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert 'role="alert"' in html
    assert "Show articles without that" in html


def test_the_notice_links_to_the_page_without_the_bad_value(client, world):
    response = client.get("/articles/?party=labour&party=whigs&topic=brexit")
    assert response.context["clean_url"] == "?party=labour&topic=brexit"


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "%00"])
def test_malformed_page_numbers_give_400(client, world, page):
    article_about(world["corbyn"], on(2016, 6, 28))
    response = client.get(f"/articles/?politician=jeremy-corbyn&page={page}")
    assert response.status_code == 400
    assert "is not a page number" in response.content.decode()
    assert response.context["clean_url"] == "?politician=jeremy-corbyn"


@pytest.mark.parametrize("page", ["2", "999999999", "99999999999999999999999999"])
def test_pages_past_the_end_give_404_with_a_way_back(client, world, page):
    article_about(world["corbyn"], on(2016, 6, 28))
    response = client.get(f"/articles/?politician=jeremy-corbyn&page={page}")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"There is no page {page[:20]}" in html
    assert "Go to the last page" in html


def test_zero_results_suggest_removing_filters(client, world):
    article_about(world["corbyn"], on(2016, 6, 28), topics=[world["brexit"]])
    response = client.get("/articles/?politician=jeremy-corbyn&year=2015&topic=brexit")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No articles match all of that" in html
    assert "Remove “2015”" in html
    assert 'href="?politician=jeremy-corbyn&amp;topic=brexit"' in html


def test_an_empty_archive_still_works(client):
    response = client.get("/articles/")
    assert response.status_code == 200
    assert "The archive has no public articles yet." in response.content.decode()


def test_search_highlights_matches_and_escapes_the_text(client, world):
    ArticleFactory(
        headline="Giraffe policy <em>launched</em>",
        standfirst="",
        body="The giraffe <script>alert('x')</script> plan <img src=x onerror=alert(1)> giraffe.",
        published_at=on(2016, 6, 28),
    )
    response = client.get("/articles/?q=giraffe")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>giraffe</mark>" in html.lower()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<em>launched" not in html
    assert "&lt;em&gt;launched" in html
    if connection.vendor == "sqlite":
        assert "&lt;script&gt;alert" in html


def test_relevance_puts_the_best_match_first(client, world):
    ArticleFactory(headline="Budget", body="budget budget budget", published_at=on(2015, 1, 1))
    ArticleFactory(headline="Other news", body="A word on the budget.", published_at=on(2016, 1, 1))
    newest = client.get("/articles/?q=budget")
    assert [a.headline for a in newest.context["page_obj"].object_list] == ["Other news", "Budget"]
    relevance = client.get("/articles/?q=budget&sort=relevance")
    assert relevance.status_code == 200
    headlines = [a.headline for a in relevance.context["page_obj"].object_list]
    assert headlines == ["Budget", "Other news"]


def test_the_browser_needs_no_javascript(client, world):
    article_about(world["corbyn"], on(2016, 6, 28))
    html = client.get("/articles/?politician=jeremy-corbyn").content.decode()
    assert "<script" not in html
    assert '<form class="refine" method="get" action="/articles/">' in html
    assert '<input type="hidden" name="politician" value="jeremy-corbyn">' in html


def test_browse_query_budget_does_not_grow_with_results(
    client, world, django_assert_max_num_queries
):
    url = (
        "/articles/?politician=jeremy-corbyn&party=labour&topic=brexit&source=bbc"
        "&year=2016&role=subject"
    )
    for count in (3, 30):
        for day in range(count):
            article = article_about(
                world["corbyn"],
                on(2016, 1, 1) + dt.timedelta(days=day),
                source=world["bbc"],
                topics=[world["brexit"]],
            )
            MentionFactory(article=article, politician=world["abbott"])
        # Each chosen facet's slugs, one grouped query per facet and one for the years, the
        # archive's size, the page of articles and their mentions.
        with django_assert_max_num_queries(13):
            response = client.get(url)
        assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get("/articles/?q=budget&sort=relevance&page=2")
    with django_assert_max_num_queries(12):
        client.get("/articles/")


# Topic and source shortcuts


# Home


@time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)
def test_home_shows_the_latest_and_the_most_covered_of_the_archives_latest_year(client, world):
    farage = PoliticianFactory(name="Nigel Farage", slug="nigel-farage")
    # The archive's newest public article is from 28 June 2016: the year is July 2015 to then.
    for day in (28, 27, 20):
        article_about(world["corbyn"], on(2016, 6, day), headline=f"Corbyn {day} June")
    article_about(
        world["corbyn"], on(2015, 7, 1), headline="Corbyn 1 July", topics=[world["brexit"]]
    )
    article_about(world["abbott"], on(2016, 6, 1), headline="Abbott 1 June")
    article_about(farage, on(2015, 6, 30), headline="Farage 30 June")  # the month before
    article_about(farage, on(2016, 6, 29), status="draft")
    article_about(farage, on(2027, 1, 1), headline="Not yet")  # in the future
    response = client.get("/")
    assert response.status_code == 200
    covered = [(row["politician__name"], row["n"]) for row in response.context["covered"]]
    assert covered == [("Jeremy Corbyn", 4), ("Diane Abbott", 1)]
    assert response.context["newest"] == dt.date(2016, 6, 28)
    assert response.context["since"] == dt.date(2015, 7, 1)
    assert response.context["covered"][0]["party"] == world["labour"]
    assert [(p.name, p.coverage) for p in response.context["parties"]] == [("Labour Party", 5)]
    assert [(t.name, t.coverage) for t in response.context["topics"]] == [("Brexit", 1)]
    assert response.context["years"] == [(2015, 2), (2016, 4)]
    assert response.context["chart"].total == 5
    html = response.content.decode()
    assert "Corbyn 28 June" in html
    assert "Not yet" not in html
    assert "/articles/?politician=jeremy-corbyn&amp;from=2015-07-01&amp;to=2016-06-28" in html
    assert "/articles/?party=labour&amp;from=2015-07-01&amp;to=2016-06-28" in html
    assert "/articles/?topic=brexit&amp;from=2015-07-01&amp;to=2016-06-28" in html
    assert '<a href="/articles/?year=2015">2015</a> <span class="covered-count">2</span>' in html
    assert "6 articles from 2015 to 2016" in html


def test_home_query_budget(client, world, django_assert_max_num_queries):
    parties = [PartyFactory(name=f"Party {i}") for i in range(5)]
    topics = [TopicFactory(name=f"Topic {i}") for i in range(5)]
    people = [PoliticianFactory(name=f"Person {i}") for i in range(15)]
    for i, person in enumerate(people):
        MembershipFactory(politician=person, party=parties[i % 5], start_date=None)
    for day in range(1, 29):
        for month in (1, 6, 11):
            article = article_about(
                world["corbyn"], on(2016, month, day), topics=topics[day % 5 : day % 5 + 2]
            )
            MentionFactory(article=article, politician=people[(day + month) % 15])
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["covered"]) == 10


def test_home_of_an_empty_archive(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles have been published yet." in response.content.decode()


def test_a_role_without_a_politician_is_shown_and_removable(client, world):
    article_about(world["corbyn"], on(2016, 6, 28))
    response = client.get("/articles/?role=quoted")
    assert response.status_code == 200
    assert dict(response.context["chips"]) == {"Role: Quoted": "?"}
    assert "Their role in the article" in response.content.decode()


def test_relevance_is_offered_only_for_a_search(client, world):
    article_about(world["corbyn"], on(2016, 6, 28), body="The budget.")
    labels = [
        label
        for label, _url, _chosen in client.get("/articles/").context["filterset"].sort_options()
    ]
    assert labels == ["Newest first", "Oldest first"]
    searched = client.get("/articles/?q=budget").context["filterset"].sort_options()
    assert [label for label, _url, _chosen in searched] == [
        "Newest first",
        "Oldest first",
        "Most relevant",
    ]


@pytest.mark.django_db
def test_browser_links_feeds_and_exports_of_the_same_query(client):
    from tests.factories import ArticleFactory, MentionFactory

    mention = MentionFactory(article=ArticleFactory())
    slug = mention.politician.slug
    html = client.get(f"/articles/?politician={slug}").content.decode()
    assert (
        f'type="application/rss+xml" title="Articles mentioning {mention.politician.name} (RSS)"'
        in html
    )
    assert f"/feeds/articles/?politician={slug}" in html
    assert f"/articles/export.csv?politician={slug}" in html
