import datetime as dt

import pytest
from django.http import QueryDict

from articles.facets.filters import ArticleFilter
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


def browse(query):
    """The ArticleFilter for a query string, e.g. ``"party=labour&year=2016"``."""
    return ArticleFilter(QueryDict(query))


def headlines(query):
    filterset = browse(query)
    assert filterset.is_valid(), filterset.errors
    return sorted(a.headline for a in filterset.qs)


@pytest.fixture
def world():
    labour = PartyFactory(name="Labour Party", short_name="Lab", slug="labour")
    tories = PartyFactory(name="Conservative Party", short_name="Con", slug="conservative")
    ukip = PartyFactory(name="UKIP", short_name="UKIP", slug="ukip")
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    abbott = PoliticianFactory(name="Diane Abbott", slug="diane-abbott")
    carswell = PoliticianFactory(name="Douglas Carswell", slug="douglas-carswell")
    MembershipFactory(politician=corbyn, party=labour, start_date=dt.date(1983, 1, 1))
    MembershipFactory(politician=abbott, party=labour, start_date=dt.date(1987, 1, 1))
    MembershipFactory(
        politician=carswell,
        party=tories,
        start_date=dt.date(2005, 1, 1),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=carswell, party=ukip, start_date=dt.date(2014, 8, 28))
    bbc = SourceFactory(name="BBC News", slug="bbc")
    guardian = SourceFactory(name="The Guardian", slug="guardian")
    brexit = TopicFactory(name="Brexit", slug="brexit")
    economy = TopicFactory(name="Economy", slug="economy")

    def article(headline, when, source, topics=(), mentions=(), **kwargs):
        a = ArticleFactory(
            headline=headline, published_at=when, source=source, topics=list(topics), **kwargs
        )
        for politician, role in mentions:
            MentionFactory(article=a, politician=politician, role=role)
        return a

    S, Q, M = Mention.Role.SUBJECT, Mention.Role.QUOTED, Mention.Role.MENTIONED
    article("Carswell the Tory", on(2013, 5, 1), bbc, [economy], [(carswell, S)])
    article("Carswell defects", on(2014, 8, 28), bbc, [brexit], [(carswell, S), (corbyn, M)])
    article("Corbyn elected", on(2015, 9, 12), guardian, [], [(corbyn, S), (abbott, Q)])
    article(
        "Abbott on the economy",
        on(2016, 6, 1),
        guardian,
        [economy, brexit],
        [(abbott, S)],
        body="The shadow home secretary spoke about immigration.",
    )
    article("Leave wins", on(2016, 6, 24), bbc, [brexit], [(corbyn, Q), (carswell, Q)])
    article("Nobody mentioned", on(2016, 12, 31, 23), guardian, [economy])
    article("A draft", on(2016, 6, 2), bbc, [brexit], [(corbyn, S)], status="draft")
    MentionFactory(
        article__headline="Only suggested",
        article__source=bbc,
        article__published_at=on(2010, 1, 2),
        politician=corbyn,
        state=Mention.State.SUGGESTED,
    )
    return locals()


def test_no_parameters_lists_every_public_article_newest_first(world):
    filterset = browse("")
    assert filterset.is_valid()
    listed = [a.headline for a in filterset.qs]
    assert "A draft" not in listed
    assert listed[0] == "Nobody mentioned"
    assert listed[-1] == "Only suggested"
    assert filterset.description() == "All articles"


def test_politician_values_are_or_ed(world):
    assert headlines("politician=diane-abbott") == ["Abbott on the economy", "Corbyn elected"]
    assert headlines("politician=diane-abbott&politician=douglas-carswell") == [
        "Abbott on the economy",
        "Carswell defects",
        "Carswell the Tory",
        "Corbyn elected",
        "Leave wins",
    ]


def test_suggested_mentions_do_not_count(world):
    assert "Only suggested" not in headlines("politician=jeremy-corbyn")


def test_role_narrows_the_politician_filter(world):
    assert headlines("politician=jeremy-corbyn&role=subject") == ["Corbyn elected"]
    assert headlines("politician=jeremy-corbyn&role=quoted") == ["Leave wins"]
    assert headlines("politician=jeremy-corbyn&politician=diane-abbott&role=quoted") == [
        "Corbyn elected",
        "Leave wins",
    ]


def test_role_alone_selects_everything(world):
    assert len(headlines("role=quoted")) == len(headlines(""))


def test_party_is_the_party_on_the_articles_date(world):
    assert headlines("party=conservative") == ["Carswell the Tory"]
    assert headlines("party=ukip") == ["Carswell defects", "Leave wins"]


def test_facets_are_and_ed(world):
    assert headlines("politician=jeremy-corbyn&party=ukip") == ["Carswell defects", "Leave wins"]
    assert headlines("politician=jeremy-corbyn&source=guardian") == ["Corbyn elected"]
    assert headlines("topic=brexit&source=bbc&year=2016") == ["Leave wins"]


def test_topic_and_source_values_are_or_ed(world):
    assert headlines("topic=brexit&topic=economy") == [
        "Abbott on the economy",
        "Carswell defects",
        "Carswell the Tory",
        "Leave wins",
        "Nobody mentioned",
    ]
    assert len(headlines("source=bbc&source=guardian")) == len(headlines(""))


def test_year_and_month(world):
    assert headlines("year=2016") == ["Abbott on the economy", "Leave wins", "Nobody mentioned"]
    assert headlines("year=2016&month=6") == ["Abbott on the economy", "Leave wins"]
    assert headlines("year=2014") == ["Carswell defects"]


def test_year_follows_the_archive_time_zone(world):
    # Midnight at the start of 1 August in London is still 31 July in UTC.
    ArticleFactory(headline="Early", published_at=on(2017, 8, 1, 0), source=world["bbc"])
    assert headlines("year=2017&month=8") == ["Early"]
    assert headlines("year=2017&month=7") == []


def test_date_range_is_inclusive(world):
    assert headlines("from=2016-06-01&to=2016-06-24") == ["Abbott on the economy", "Leave wins"]
    assert headlines("from=2016-06-02") == ["Leave wins", "Nobody mentioned"]
    assert headlines("from=2013-05-01&to=2013-05-01") == ["Carswell the Tory"]
    assert headlines("to=2013-04-30") == ["Only suggested"]


def test_search(world):
    assert headlines("q=immigration") == ["Abbott on the economy"]
    assert headlines("q=immigration&politician=jeremy-corbyn") == []


def test_empty_values_are_ignored(world):
    filterset = browse("q=&from=&politician=&year=")
    assert filterset.is_valid()
    assert not filterset.is_filtered()
    assert filterset.url() == "?"


def test_sort(world):
    assert browse("sort=oldest").qs.first().headline == "Only suggested"
    assert browse("sort=newest").qs.first().headline == "Nobody mentioned"
    # Relevance needs a search; without one, the newest come first.
    filterset = browse("sort=relevance")
    assert filterset.sort_order == "newest"
    assert filterset.qs.first().headline == "Nobody mentioned"


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("politician=nobody", "politician", "no politician “nobody”"),
        ("politician=jeremy-corbyn&politician=x&politician=y", "politician", "“x” or “y”"),
        ("party=whigs", "party", "no party “whigs”"),
        ("topic=%00", "topic", "no topic"),
        ("source=<script>", "source", "no source"),
        ("from=2016-13-01", "from", "2016-06-28"),
        ("to=yesterday", "to", "2016-06-28"),
        ("from=28/06/2016", "from", "2016-06-28"),
        ("from=9999-12-31", "from", "between"),
        ("year=abc", "year", "like 2016"),
        ("year=99999", "year", "between"),
        ("month=13&year=2016", "month", "1 to 12"),
        ("month=6", "month", "year"),
        ("from=2016-06-02&to=2016-06-01", "to", "before"),
        ("role=boss&politician=jeremy-corbyn", "role", "subject, quoted or mentioned"),
        ("sort=sideways", "sort", "newest"),
        ("q=" + "x" * 201, "q", "200"),
        ("politician=" + "&politician=".join(f"p{i}" for i in range(21)), "politician", "20"),
    ],
)
def test_bad_input_is_explained(world, query, field, words):
    filterset = browse(query)
    assert not filterset.is_valid()
    assert field in filterset.errors
    assert any(words in notice for notice in filterset.notices()), filterset.notices()


def test_url_without_errors_keeps_the_good_values(world):
    filterset = browse("politician=jeremy-corbyn&politician=nobody&year=abc&topic=brexit")
    assert filterset.url_without_errors() == "?politician=jeremy-corbyn&topic=brexit"


def test_urls_toggle_values_and_drop_the_page(world):
    filterset = browse("politician=jeremy-corbyn&party=labour&page=3")
    assert filterset.url_toggling("party", "ukip") == (
        "?politician=jeremy-corbyn&party=labour&party=ukip"
    )
    assert filterset.url_toggling("party", "labour") == "?politician=jeremy-corbyn"
    assert filterset.url(year=[2016]) == "?politician=jeremy-corbyn&party=labour&year=2016"


def test_removing_the_last_politician_removes_the_role(world):
    filterset = browse("politician=jeremy-corbyn&role=quoted")
    assert filterset.url_toggling("politician", "jeremy-corbyn") == "?"


def test_description_says_what_is_shown(world):
    assert (
        browse("politician=jeremy-corbyn&party=labour&year=2016").description()
        == "Articles mentioning Jeremy Corbyn, Labour Party, 2016"
    )
    assert (
        browse("politician=jeremy-corbyn&politician=diane-abbott&role=quoted").description()
        == "Articles quoting Jeremy Corbyn or Diane Abbott"
    )
    assert (
        browse("party=ukip&topic=brexit&source=bbc&year=2016&month=6&q=vote").description()
        == "Articles mentioning UKIP, on Brexit, from BBC News, June 2016, matching “vote”"
    )
    assert (
        browse("from=2016-01-01&to=2016-06-30").description()
        == "Articles from 1 January 2016 to 30 June 2016"
    )
    assert browse("year=2016&q=budget").description() == "Articles in 2016, matching “budget”"
    assert browse("q=budget&year=2016&month=6").description() == (
        "Articles in June 2016, matching “budget”"
    )


def test_chips_remove_one_value_each(world):
    chips = dict(browse("politician=jeremy-corbyn&party=labour&party=ukip&year=2016").chips())
    assert chips["Jeremy Corbyn"] == "?party=labour&party=ukip&year=2016"
    assert chips["UKIP"] == "?politician=jeremy-corbyn&party=labour&year=2016"
    assert chips["2016"] == "?politician=jeremy-corbyn&party=labour&party=ukip"


def test_a_plain_dict_works_too(world):
    filterset = ArticleFilter({"politician": ["diane-abbott"], "year": 2016})
    assert filterset.is_valid()
    assert [a.headline for a in filterset.qs] == ["Abbott on the economy"]


def _url_by_copying(filterset, **changes):
    """The browser's URL as a changed copy of its parameters, encoded by QueryDict."""
    params = filterset.params.copy()
    params.pop("page", None)
    for key, values in changes.items():
        key = key.rstrip("_")
        if values is None:
            params.pop(key, None)
        else:
            params.setlist(key, [str(v) for v in values])
    query = params.urlencode()
    return f"?{query}" if query else "?"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=4",
        "q=brexit%20%22no+deal%22%20-may&page=2&sort=oldest",
        "politician=jeremy-corbyn&party=labour&party=ukip&role=quoted",
        "from=2016-01-01&to=2016-12-31&q=caf%C3%A9+%26+bar%3D1&show=all",
        "topic=brexit&year=2016&month=6&source=the-guardian&page=1000",
    ],
)
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"page": [2]},
        {"party": None},
        {"party": []},
        {"party": ["ukip", "green party"], "year": [2016]},
        {"politician": None, "role": None},
        {"from_": ["2016-06-01"], "to": None},
        {"q": ["ünïcode & more=+"], "sort": ["relevance"]},
        {"month": [7], "page": None},
    ],
)
def test_urls_equal_a_changed_copy_of_the_parameters(query, changes):
    filterset = browse(query)
    assert filterset.url(**changes) == _url_by_copying(filterset, **changes)
