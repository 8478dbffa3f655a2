"""The politician page: header, charts, one merged timeline paged by year, filters, co-mentions."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from articles.models import Article, Mention
from articles.web import timeline
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def switcher():
    """Douglas Carswell-like: a Conservative until 2014, then UKIP; a post from 2015 to 2017."""
    con = PartyFactory(name="Conservative Party", short_name="Conservatives", colour="#0087DC")
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP", colour="#70147A")
    person = PoliticianFactory(
        name="Douglas Carswell",
        given_name="Douglas",
        family_name="Carswell",
        birth_date=dt.date(1971, 5, 3),
        biography="MP for Clacton.",
        image_url="https://example.org/carswell.jpg",
    )
    OtherNameFactory(politician=person, name="Doug Carswell")
    MembershipFactory(
        politician=person, party=con, start_date=dt.date(2005, 5, 5), end_date=dt.date(2014, 8, 27)
    )
    MembershipFactory(politician=person, party=ukip, start_date=dt.date(2014, 8, 28))
    RoleFactory(
        politician=person,
        title="UKIP spokesman",
        start_date=dt.date(2015, 1, 10),
        end_date=dt.date(2017, 3, 25),
    )
    return person


def mention(person, when, headline, role=Mention.Role.MENTIONED, **article):
    return MentionFactory(
        politician=person,
        role=role,
        article=ArticleFactory(headline=headline, published_at=when, **article),
    )


def page(client, person, **params):
    url = reverse("articles:politician", kwargs={"slug": person.slug})
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def text_order(html, *needles):
    positions = [html.index(n) for n in needles]
    return positions == sorted(positions)


def test_unknown_politician_is_404(client):
    response = client.get(reverse("articles:politician", kwargs={"slug": "nobody"}))
    assert response.status_code == 404


def test_header_shows_current_party_names_dates_and_photo(client, switcher):
    RoleFactory(politician=switcher, title="Member of Parliament", start_date=dt.date(2005, 5, 5))
    html = page(client, switcher).content.decode()
    assert "<h1>Douglas Carswell</h1>" in html
    header_party = html.split("person-party")[1].split("</p>")[0]
    assert 'class="party-badge"' in header_party and ">UKIP</span>" in header_party
    assert "Member of Parliament" in html.split("person-charts")[0]
    assert "UKIP spokesman" not in html.split("person-charts")[0]  # ended in 2017
    assert "Doug Carswell" in html
    assert "3 May 1971" in html
    assert "MP for Clacton." in html
    assert 'src="https://example.org/carswell.jpg"' in html


def test_switcher_timeline_merges_articles_party_changes_and_roles(client, switcher):
    mention(switcher, on(2014, 8, 1), "Carswell speaks as a Tory")
    mention(switcher, on(2014, 9, 1), "Carswell speaks for UKIP")
    mention(switcher, on(2016, 6, 24), "Carswell after the vote")
    html = page(client, switcher).content.decode()

    assert "Joined the UK Independence Party" in html
    assert "Left the Conservative Party" in html
    assert "Joined the Conservative Party" in html
    assert "Became UKIP spokesman" in html
    assert "Ceased to be UKIP spokesman" in html
    assert text_order(
        html,
        "Ceased to be UKIP spokesman",
        "Carswell after the vote",
        "Became UKIP spokesman",
        "Carswell speaks for UKIP",
        "Joined the UK Independence Party",
        "Left the Conservative Party",
        "Carswell speaks as a Tory",
        "Joined the Conservative Party",
    )

    oldest = page(client, switcher, order="oldest").content.decode()
    assert text_order(
        oldest,
        "Joined the Conservative Party",
        "Carswell speaks as a Tory",
        "Left the Conservative Party",
        "Joined the UK Independence Party",
        "Carswell speaks for UKIP",
        "Became UKIP spokesman",
        "Carswell after the vote",
        "Ceased to be UKIP spokesman",
    )


def test_articles_show_role_and_party_on_their_date(client, switcher):
    mention(switcher, on(2013, 3, 1), "Old Tory days", role=Mention.Role.QUOTED)
    mention(switcher, on(2015, 3, 1), "Purple days", role=Mention.Role.SUBJECT)
    html = page(client, switcher).content.decode()
    tory = html[html.index("Old Tory days") :].split("</li>")[0]
    purple = html[html.index("Purple days") :].split("</li>")[0]
    assert "Quoted" in tory and ">Conservatives</a>" in tory
    assert "Subject" in purple and ">UKIP</a>" in purple


def test_years_are_grouped_newest_first(client, switcher):
    for year in (2012, 2016, 2014):
        mention(switcher, on(year, 5, 1), f"Story of {year}")
    response = page(client, switcher)
    years = [g.year for g in response.context["stream"].groups]
    assert years == sorted(years, reverse=True)
    assert {2012, 2014, 2016} <= set(years)


def test_readers_never_see_drafts_future_or_unconfirmed(client, switcher):
    mention(switcher, on(2016, 1, 1), "Visible story")
    mention(switcher, on(2016, 1, 2), "Draft story", status=Article.Status.DRAFT)
    mention(switcher, on(2021, 1, 1), "Future story")
    MentionFactory(
        politician=switcher,
        state=Mention.State.SUGGESTED,
        article=ArticleFactory(headline="Suggested story", published_at=on(2016, 1, 3)),
    )
    html = page(client, switcher).content.decode()
    assert "Visible story" in html
    assert "Draft story" not in html
    assert "Future story" not in html
    assert "Suggested story" not in html


@pytest.fixture
def busy(switcher, monkeypatch):
    """More articles than one page holds: 2 in 2015, 5 in 2016 (page size lowered to 2)."""
    monkeypatch.setattr(timeline, "PAGE_SIZE", 2)
    for day in (3, 4):
        mention(switcher, on(2015, 2, day), f"Story 2015-{day}")
    for day in range(1, 6):
        mention(switcher, on(2016, 2, day), f"Story 2016-{day}")
    return switcher


def test_many_articles_page_by_year_defaulting_to_latest(client, busy):
    response = page(client, busy)
    html = response.content.decode()
    assert response.context["year"] == 2016
    assert "Story 2016-5" in html and "Story 2016-4" in html
    assert "Story 2016-3" not in html  # next page within 2016
    assert "Story 2015-3" not in html
    nav = {item["year"]: item["count"] for item in response.context["year_nav"]}
    assert nav == {2016: 5, 2015: 2}  # no link to a year without articles
    assert "Page 1 of 3 in 2016" in html

    oldest = page(client, busy, order="oldest")
    assert oldest.context["year"] == 2015  # the earliest year with coverage
    assert page(client, busy, year=2015).context["stream"].count == 2


def test_every_event_lands_on_exactly_one_page_of_a_long_year(client, switcher, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_SIZE", 2)
    for month in (1, 3, 5, 7, 9):
        mention(switcher, on(2014, month, 15), f"Story 2014-{month}")
    for order in ("newest", "oldest"):
        pages = [
            page(client, switcher, year=2014, page=n, order=order).content.decode()
            for n in (1, 2, 3)
        ]
        for text in ("Joined the UK Independence Party", "Left the Conservative Party"):
            assert sum(text in html for html in pages) == 1, (order, text)
        joined_page = next(
            i for i, html in enumerate(pages) if "Joined the UK Independence Party" in html
        )
        html = pages[joined_page]
        if order == "newest":
            assert "Story 2014-9" in html or "Story 2014-7" in html
        assert sum(f"Story 2014-{m}" in "".join(pages) for m in (1, 3, 5, 7, 9)) == 5


def test_filters_by_year_topic_role_and_co_mention(client, switcher):
    brexit = TopicFactory(name="Brexit")
    other = PoliticianFactory(name="Nigel Farage")
    a = mention(switcher, on(2016, 6, 1), "Brexit subject", role="subject", topics=[brexit])
    mention(switcher, on(2016, 7, 1), "Plain quote", role="quoted")
    MentionFactory(article=a.article, politician=other)
    mention(switcher, on(2015, 7, 1), "Earlier story")

    def headlines(**params):
        stream = page(client, switcher, **params).context["stream"]
        return {e.mention.article.headline for g in stream.groups for e in g.entries if e.mention}

    assert headlines(year=2015) == {"Earlier story"}
    assert headlines(topic="brexit") == {"Brexit subject"}
    assert headlines(role="quoted") == {"Plain quote"}
    assert headlines(**{"with": other.slug}) == {"Brexit subject"}
    html = page(client, switcher, **{"with": other.slug}).content.decode()
    assert "Only articles that also mention" in html and "Nigel Farage" in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "abc"}, "“abc” is not a year"),
        ({"year": "20x6"}, "“20x6” is not a year"),
        ({"year": "99999"}, "“99999” is not a year"),
        ({"topic": "no-such-topic"}, "There is no topic “no-such-topic”"),
        ({"role": "hero"}, "Unknown role “hero”"),
        ({"order": "sideways"}, "Unknown order “sideways”"),
        ({"page": "abc"}, "“abc” is not a page number"),
        ({"page": "0"}, "“0” is not a page number"),
        ({"with": "nobody-at-all"}, "There is no politician “nobody-at-all”"),
        ({"with": "douglas-carswell"}, "Choose someone else"),
    ],
)
def test_a_value_that_cannot_be_understood_is_a_400_that_says_so(client, switcher, params, message):
    mention(switcher, on(2016, 1, 1), "A story")
    url = reverse("articles:politician", kwargs={"slug": switcher.slug})
    response = client.get(url, params | {"role": "quoted"} if "role" not in params else params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "A story" not in html  # not the whole timeline as if nothing had been asked
    assert "<h1>Douglas Carswell</h1>" in html
    # The way out keeps what was understood.
    if "role" not in params:
        assert 'href="?role=quoted"' in html
    else:
        assert 'href="?"' in html


def test_a_page_past_the_end_is_a_404_that_says_so(client, switcher):
    mention(switcher, on(2016, 1, 1), "A story")
    url = reverse("articles:politician", kwargs={"slug": switcher.slug})
    response = client.get(url, {"page": "99"})
    assert response.status_code == 404
    assert "There is no page 99" in response.content.decode()
    assert "A story" not in response.content.decode()


def test_a_year_with_nothing_in_it_says_so(client, switcher):
    mention(switcher, on(2016, 1, 1), "A story")
    html = page(client, switcher, year="1990").content.decode()
    assert "Nothing to show in 1990" in html
    assert "A story" not in html


def test_unknown_parameter_names_are_ignored(client, switcher):
    mention(switcher, on(2016, 1, 1), "A story")
    assert "A story" in page(client, switcher, utm_source="x").content.decode()


def test_career_events_in_years_without_articles_show_on_a_year_with_some(client, busy):
    """2014 (changing party) and 2017 (leaving the post) have no articles: neither is offered
    as a year, and their events show on the pages of 2015 and 2016."""
    newest = page(client, busy).content.decode()
    assert "Ceased to be UKIP spokesman" in newest  # 2017, on the 2016 page
    assert "Joined the UK Independence Party" not in newest
    earliest = page(client, busy, year=2015).content.decode()
    assert "Joined the UK Independence Party" in earliest  # 2014, on the 2015 page
    assert "Became UKIP spokesman" in earliest
    assert 'href="?year=2014"' not in earliest and 'href="?year=2017"' not in earliest
    asked = page(client, busy, year=2014)
    assert asked.context["year"] == 2015  # the page that shows 2014's events
    assert "Joined the UK Independence Party" in asked.content.decode()


def test_often_mentioned_with_counts_match_a_plain_count(client, switcher):
    friends = [PoliticianFactory(name=f"Friend {i}") for i in range(3)]
    for i in range(6):
        article = mention(switcher, on(2016, 1, i + 1), f"Shared {i}").article
        for friend in friends[: 1 + i % 3]:
            MentionFactory(article=article, politician=friend)
    # Not counted: unconfirmed, draft, and articles without this politician.
    lone = mention(friends[2], on(2016, 2, 1), "Without Carswell").article
    MentionFactory(article=lone, politician=friends[1])
    draft = mention(switcher, on(2016, 3, 1), "Draft", status=Article.Status.DRAFT).article
    MentionFactory(article=draft, politician=friends[2])
    suggested = mention(switcher, on(2016, 3, 2), "Suggested").article
    MentionFactory(article=suggested, politician=friends[2], state=Mention.State.SUGGESTED)

    response = page(client, switcher)
    rows = response.context["co_mentions"]
    visible = set(Article.objects.published().mentioning(switcher).values_list("pk", flat=True))
    for row in rows:
        friend = next(f for f in friends if f.slug == row["politician__slug"])
        plain = sum(
            1
            for pk in visible
            if Mention.objects.confirmed().filter(article_id=pk, politician=friend).exists()
        )
        assert row["n"] == plain
    assert [r["n"] for r in rows] == [6, 4, 2]
    html = response.content.decode()
    assert f'href="?with={friends[0].slug}"' in html
    assert "6 articles together" in html


def test_often_mentioned_with_says_when_only_the_latest_articles_are_counted(
    client, switcher, monkeypatch
):
    friend = PoliticianFactory(name="Old Friend")
    for day in range(1, 5):
        article = mention(switcher, on(2016, 1, day), f"Story {day}").article
        if day <= 2:  # only in the two oldest articles
            MentionFactory(article=article, politician=friend)
    html = page(client, switcher).content.decode()
    assert "Old Friend" in html and "Counted over their latest" not in html

    monkeypatch.setattr(timeline, "CO_MENTION_WINDOW", 2)
    html = page(client, switcher).content.decode()
    assert "Counted over their latest 2 articles." in html
    assert "Old Friend" not in html  # outside the two latest articles


def test_charts_are_on_the_page_with_text_alternatives(client, switcher):
    mention(switcher, on(2016, 1, 1), "One")
    mention(switcher, on(2016, 1, 20), "Two")
    mention(switcher, on(2016, 3, 5), "Three")
    html = page(client, switcher).content.decode()
    assert html.count('<svg viewBox="0 0 800') == 2
    assert 'role="img"' in html
    assert "January 2016: 2 articles" in html
    assert "March 2016: 1 article" in html
    assert "Conservative Party, 5 May 2005 to 27 Aug 2014" in html
    assert "UK Independence Party, 28 Aug 2014 to present" in html
    assert len(re.findall(r'<rect class="bar[ "]', html)) == 2


def test_coverage_chart_runs_from_the_first_article_to_the_last(client, switcher):
    mention(switcher, on(2009, 4, 2), "Early")
    mention(switcher, on(2016, 3, 5), "Late")
    response = page(client, switcher)  # today is 1 June 2020; UKIP membership still open
    chart, band = response.context["chart"], response.context["band"]
    assert (chart.axis.start, chart.axis.end) == (dt.date(2009, 4, 1), dt.date(2016, 3, 1))
    assert band.axis == chart.axis
    html = response.content.decode()
    assert "<figcaption>2 articles from April 2009 to March 2016;" in html
    assert [label.year for label in chart.year_labels if "wide" in label.layouts] == list(
        range(2009, 2017)
    )
    assert "Conservative Party, 5 May 2005 to 27 Aug 2014" in html  # begun before the axis


def test_politician_page_query_budget_does_not_grow(
    client, switcher, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(timeline, "PAGE_SIZE", 5)
    topic = TopicFactory(name="Economy")
    friend = PoliticianFactory()
    for i in range(30):
        article = ArticleFactory(published_at=on(2010 + i % 6, 1 + i % 12, 1), topics=[topic])
        MentionFactory(article=article, politician=switcher)
        MentionFactory(article=article, politician=friend)
    for params in ({}, {"topic": "economy", "role": "mentioned", "with": friend.slug}):
        # 11: the identifiers the page links out to (Wikidata, TheyWorkForYou) are one query.
        with django_assert_max_num_queries(11):
            page(client, switcher, **params)


@pytest.mark.django_db
def test_politician_page_links_feeds_timeline_and_data(client):
    from tests.factories import PoliticianFactory

    politician = PoliticianFactory()
    html = client.get(politician.get_absolute_url()).content.decode()
    assert f'href="/feeds/politicians/{politician.slug}/"' in html
    assert f"/politicians/{politician.slug}/timeline/" in html
    assert f"/politicians/{politician.slug}/timeline.json" in html
    assert "application/atom+xml" in html
