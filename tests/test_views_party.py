"""Party pages and the lists of politicians and parties."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.models import Article, Mention
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    on,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def world():
    con = PartyFactory(name="Conservative Party", short_name="Conservatives", colour="#0087DC")
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP", colour="#70147A")
    lab = PartyFactory(name="Labour Party", short_name="Labour", colour="#E4003B")
    carswell = PoliticianFactory(name="Douglas Carswell", family_name="Carswell")
    MembershipFactory(
        politician=carswell, party=con, start_date=D(2005, 5, 5), end_date=D(2014, 8, 27)
    )
    MembershipFactory(politician=carswell, party=ukip, start_date=D(2014, 8, 28))
    cameron = PoliticianFactory(name="David Cameron", family_name="Cameron")
    OtherNameFactory(politician=cameron, name="Call Me Dave")
    MembershipFactory(politician=cameron, party=con, start_date=D(1988, 1, 1))
    RoleFactory(
        politician=cameron,
        title="Leader of the Conservative Party",
        start_date=D(2005, 12, 6),
        end_date=D(2016, 7, 11),
    )
    RoleFactory(politician=cameron, title="Prime Minister", start_date=D(2010, 5, 11))
    may = PoliticianFactory(name="Theresa May", family_name="May")
    MembershipFactory(politician=may, party=con, start_date=D(1977, 1, 1))
    RoleFactory(politician=may, title="Party leader", organisation="Conservative Party",
                start_date=D(2016, 7, 11), end_date=D(2019, 7, 24))  # fmt: skip
    corbyn = PoliticianFactory(name="Jeremy Corbyn", family_name="Corbyn")
    MembershipFactory(politician=corbyn, party=lab, start_date=D(1966, 1, 1))
    PoliticianFactory(name="Nobody Partyless", family_name="Partyless")
    return {"con": con, "ukip": ukip, "lab": lab, "carswell": carswell, "cameron": cameron,
            "may": may, "corbyn": corbyn}  # fmt: skip


def get(client, name, slug=None, **params):
    url = reverse(f"articles:{name}", kwargs={"slug": slug} if slug else None)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_party_page_lists_current_and_former_members_and_leaders(client, world):
    response = get(client, "party", world["con"].slug)
    current = [m.politician for m in response.context["current_members"]]
    former = [f["politician"] for f in response.context["former_members"]]
    assert current == [world["may"], world["cameron"]]  # by start date
    assert former == [world["carswell"]]
    html = response.content.decode()
    assert "5 May 2005 – 27 Aug 2014" in html
    leaders = [(r.politician, r.title) for r in response.context["leaders"]]
    assert leaders == [
        (world["cameron"], "Leader of the Conservative Party"),
        (world["may"], "Party leader"),
    ]
    assert 'href="/articles/?party=conservative-party"' in html


def test_leaders_are_leaders_and_front_bench_posts_have_their_own_heading(client, world):
    con, may, carswell = world["con"], world["may"], world["carswell"]
    RoleFactory(politician=may, title="Deputy Leader of the Conservative Party",
                start_date=D(2002, 1, 1), end_date=D(2003, 1, 1))  # fmt: skip
    RoleFactory(politician=carswell, title="Shadow Chancellor", organisation="Conservative Party",
                start_date=D(2010, 1, 1), end_date=D(2011, 1, 1))  # fmt: skip
    RoleFactory(politician=may, title="Co-leader", organisation="Conservative Party",
                start_date=D(2001, 1, 1), end_date=D(2001, 6, 1))  # fmt: skip
    response = get(client, "party", con.slug)
    leaders = [r.title for r in response.context["leaders"]]
    front = [r.title for r in response.context["front_bench"]]
    assert leaders == ["Co-leader", "Leader of the Conservative Party", "Party leader"]
    assert front == ["Deputy Leader of the Conservative Party", "Shadow Chancellor"]
    html = response.content.decode()
    leaders_at, front_at = html.index(">Leaders</h2>"), html.index(">Front bench</h2>")
    assert leaders_at < html.index("Party leader") < front_at < html.index("Shadow Chancellor")
    assert "Front bench" not in get(client, "party", world["lab"].slug).content.decode()


def test_an_unknown_start_is_said_once_for_the_members_it_concerns(client, world):
    for name in ("Anne Undated", "Bob Undated", "Cy Undated"):
        MembershipFactory(politician=PoliticianFactory(name=name), party=world["lab"],
                          start_date=None)  # fmt: skip
    html = get(client, "party", world["lab"].slug).content.decode()
    assert html.count("since an unknown date") + html.count("Since an unknown date") == 1
    undated = html.index("Since an unknown date")
    assert undated < html.index("Anne Undated") < html.index("Since a known date")
    assert html.index("Since a known date") < html.index("Jeremy Corbyn")
    assert "since 1 Jan 1966" in html
    only_dated = get(client, "party", world["con"].slug).content.decode()
    assert "unknown date" not in only_dated and "Since a known date" not in only_dated


def test_unknown_party_is_404(client):
    assert client.get(reverse("articles:party", kwargs={"slug": "nope"})).status_code == 404


def test_party_page_articles_use_the_party_on_the_date(client, world):
    old = MentionFactory(
        politician=world["carswell"],
        article=ArticleFactory(headline="Tory Carswell", published_at=on(2013, 1, 5)),
    )
    new = MentionFactory(
        politician=world["carswell"],
        article=ArticleFactory(headline="Kipper Carswell", published_at=on(2015, 1, 5)),
    )
    MentionFactory(article=new.article, politician=world["cameron"])
    ArticleFactory(headline="Draft Tory", status=Article.Status.DRAFT)
    con = get(client, "party", world["con"].slug)
    ukip = get(client, "party", world["ukip"].slug)
    assert [a.headline for a in con.context["latest"]] == ["Kipper Carswell", "Tory Carswell"]
    assert [a.headline for a in ukip.context["latest"]] == ["Kipper Carswell"]
    kipper = con.context["latest"][0]
    assert [m.politician for m in kipper.party_mentions] == [world["cameron"]]
    assert old.party == world["con"]

    # The chart counts articles, not mentions: two Conservatives in one article count once.
    chart = con.context["chart"]
    assert {b.month: b.count for b in chart.bars} == {D(2013, 1, 1): 1, D(2015, 1, 1): 1}
    assert "January 2015: 1 article" in con.content.decode()


def test_party_list_counts_current_members_and_articles(client, world):
    for when in (on(2013, 1, 1), on(2015, 1, 1)):
        MentionFactory(politician=world["carswell"], article=ArticleFactory(published_at=when))
    shared = ArticleFactory(published_at=on(2016, 1, 1))
    MentionFactory(article=shared, politician=world["cameron"])
    MentionFactory(article=shared, politician=world["may"])
    MentionFactory(politician=world["cameron"], state=Mention.State.SUGGESTED)
    response = get(client, "parties")
    rows = {p.slug: (p.members, p.article_count) for p in response.context["parties"]}
    assert rows["conservative-party"] == (2, 2)
    assert rows["uk-independence-party"] == (1, 1)
    assert rows["labour-party"] == (1, 0)
    for party in response.context["parties"]:
        plain = Article.objects.published().in_party(party).count()
        assert party.article_count == plain


def names(response):
    return [p.name for p in response.context["politicians"]]


def test_politician_list_shows_current_party(client, world):
    response = get(client, "politicians")
    assert names(response) == [
        "David Cameron", "Douglas Carswell", "Jeremy Corbyn", "Theresa May", "Nobody Partyless"
    ]  # fmt: skip
    parties = {p.name: p.current_party for p in response.context["politicians"]}
    assert parties["Douglas Carswell"] == world["ukip"]
    assert parties["Nobody Partyless"] is None
    html = response.content.decode()
    assert ">UKIP</span>" in html and "Independent / no party" in html


def test_politician_list_filters_by_current_or_past_party(client, world):
    assert names(get(client, "politicians", party="conservative-party")) == [
        "David Cameron", "Theresa May"
    ]  # fmt: skip
    assert names(get(client, "politicians", party="conservative-party", ever="1")) == [
        "David Cameron", "Douglas Carswell", "Theresa May"
    ]  # fmt: skip
    assert names(get(client, "politicians", party="uk-independence-party")) == ["Douglas Carswell"]


def test_politician_list_searches_every_name(client, world):
    assert names(get(client, "politicians", q="call me")) == ["David Cameron"]
    assert names(get(client, "politicians", q="corb")) == ["Jeremy Corbyn"]


def test_politician_list_sorts_by_coverage(client, world):
    for _ in range(3):
        MentionFactory(politician=world["corbyn"])
    MentionFactory(politician=world["may"])
    MentionFactory(politician=world["may"], article=ArticleFactory(status=Article.Status.DRAFT))
    MentionFactory(politician=world["cameron"], state=Mention.State.SUGGESTED)
    response = get(client, "politicians", sort="coverage")
    assert names(response)[:2] == ["Jeremy Corbyn", "Theresa May"]
    coverage = {p.name: p.coverage for p in response.context["politicians"]}
    assert coverage == {
        "Jeremy Corbyn": 3, "Theresa May": 1, "David Cameron": 0, "Douglas Carswell": 0,
        "Nobody Partyless": 0,
    }  # fmt: skip
    by_name = {p.name: p.coverage for p in get(client, "politicians").context["politicians"]}
    assert by_name == coverage


def test_politician_list_pages(client, world, monkeypatch):
    from articles.web.views import people

    monkeypatch.setattr(people, "POLITICIANS_PER_PAGE", 2)
    first = get(client, "politicians", party="conservative-party", ever="1")
    assert first.context["total"] == 3
    assert names(first) == ["David Cameron", "Douglas Carswell"]
    html = first.content.decode()
    assert 'href="?party=conservative-party&amp;ever=1&amp;page=2"' in html
    second = get(client, "politicians", party="conservative-party", ever="1", page=2)
    assert names(second) == ["Theresa May"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"party": "no-such-party"}, "There is no party"),
        ({"sort": "height"}, "Unknown sort"),
        ({"page": "x"}, "is not a page number"),
        ({"page": "40"}, "There is no page 40"),
    ],
)
def test_politician_list_bad_parameters_give_a_notice(client, world, params, message):
    html = get(client, "politicians", **params).content.decode()
    assert message in html


def test_list_and_party_pages_keep_to_a_query_budget(client, world, django_assert_max_num_queries):
    for i in range(20):
        person = PoliticianFactory()
        MembershipFactory(politician=person, party=[world["con"], world["lab"]][i % 2])
        MentionFactory(
            politician=person, article=ArticleFactory(published_at=on(2015, 1 + i % 12, 1))
        )
    for params in ({}, {"sort": "coverage"}, {"party": "labour-party", "q": "a"}):
        with django_assert_max_num_queries(5):
            get(client, "politicians", **params)
    with django_assert_max_num_queries(3):
        get(client, "parties")
    with django_assert_max_num_queries(8):
        get(client, "party", world["con"].slug)


def test_big_parties_list_a_bounded_number_of_members(client, world, monkeypatch):
    from articles.web.views import people

    monkeypatch.setattr(people, "MEMBERS_SHOWN", 1)
    response = get(client, "party", world["con"].slug)
    assert len(response.context["current_members"]) == 1
    assert response.context["current_count"] == 2
    html = response.content.decode()
    assert 'href="/politicians/?party=conservative-party">see all 2 current members' in html


@pytest.mark.django_db
def test_party_page_links_feeds_and_data(client):
    from tests.factories import PartyFactory

    party = PartyFactory()
    html = client.get(party.get_absolute_url()).content.decode()
    assert "application/rss+xml" in html
    assert f"/articles/export.csv?party={party.slug}" in html
