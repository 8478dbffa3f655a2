"""The fragments the readers' pages render in Python (``articles/web/fragments/``).

Their HTML equals the files in tests/snapshots/, one per fragment and case (``make snapshots``
rewrites them; the change is reviewed as a diff); every text they are given is escaped unless it
is already safe HTML; every class they render is styled in static/css/.
"""

import datetime as dt
import html
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from articles.derived.parties import party_of
from articles.facets.counting import Facet, Option, facet_counts
from articles.facets.filters import ArticleFilter
from articles.models import Article, Mention, PartyMembership, Politician, Source, Topic
from articles.models import Party as PartyModel
from articles.web import charts, fragments, timeline
from articles.web.fragments import article_page, home_lists, party_page
from articles.web.fragments.coverage_row import coverage_table_rows
from articles.web.fragments.facet_option import facet_options
from articles.web.fragments.party_badge import party_badge, titled_party_badge
from articles.web.fragments.result_card import article_card, article_cards
from articles.web.fragments.timeline_entry import timeline_entries, timeline_entry
from articles.web.fragments.topic_option import topic_options
from articles.web.fragments.urls import article_urls, slug_urls
from articles.web.views import people
from articles.web.views.browse import as_cards, mentions_in_order, related_articles
from tests.conftest import SNAPSHOTS
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    SourceFactory,
    TopicFactory,
    on,
)

NOW = dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC)
D = dt.date


def person(name, slug, sort_name):
    """A politician whose name, address and place in lists do not depend on the factories'
    counters (snapshots must not change with the tests run before)."""
    return PoliticianFactory(name=name, slug=slug, given_name="", sort_name=sort_name)


@pytest.fixture
def awkward(db, time_machine):
    """People, parties, sources and articles whose text needs escaping, with and without short
    names, colours and parties; one article naming six people, another seven."""
    time_machine.move_to(NOW, tick=False)
    parties = [
        PartyFactory(name='Rock & "Roll" <Party>', short_name="R&R", colour="#123abc"),
        PartyFactory(name="No Short Name", short_name="", colour="red"),
        PartyFactory(name="Bright", short_name="Brt", colour="#FFFF00"),
    ]
    people_ = []
    for i in range(7):
        politician = person(f"O'Brien <{i}> & Co", f"o-brien_{i}", f"OBrien {i}")
        if i < 6:
            MembershipFactory(politician=politician, party=parties[i % 3], start_date=D(2010, 1, 1))
        people_.append(politician)
    RoleFactory(politician=people_[0], title="Minister <for> Things", organisation="A & B")
    RoleFactory(
        politician=people_[0], title="Chair", start_date=D(2015, 3, 1), end_date=D(2016, 1, 1)
    )
    MembershipFactory(
        politician=people_[0], party=parties[1], start_date=D(2005, 1, 1), end_date=D(2009, 12, 31)
    )
    sources = [SourceFactory(name="Times & <Co>"), SourceFactory(name="The \"Daily\" 'Post'")]
    long_standfirst = " ".join(f"word{i}" for i in range(60))
    for i in range(8):
        article = ArticleFactory(
            headline=f"Headline <b>{i}</b> & “quotes” 'economy'",
            standfirst=["", "A short <standfirst> & more economy.", long_standfirst][i % 3],
            body="The economy & <things>.",
            published_at=on(2016 + i % 3, 1 + i, 1 + 3 * i, [0, 12, 23][i % 3]),
            source=sources[i % 2],
        )
        for politician in people_[: [1, 6, 2, 7, 0][i % 5]]:
            MentionFactory(article=article, politician=politician, role=Mention.Role.values[i % 3])
    early = ArticleFactory(
        headline="Before <any> party & “all”", published_at=on(2003, 5, 5), source=sources[0]
    )
    MentionFactory(article=early, politician=people_[0])
    return people_, parties


def render_template(source, **context):
    return Template(source).render(Context(context))


# Snapshots ------------------------------------------------------------------------------------

BADGES = [
    ("link", 'Rock & "Roll" <Party>', False, False),
    ("plain", 'Rock & "Roll" <Party>', False, True),
    ("short-link", 'Rock & "Roll" <Party>', True, False),
    ("short-plain", 'Rock & "Roll" <Party>', True, True),
    ("short-link-without-short-name", "No Short Name", True, False),
    ("short-plain-light-colour", "Bright", True, True),
    ("no-colour-short-link", "Plain <Party>", True, False),
    ("no-colour-plain", "Plain <Party>", False, True),
    ("no-party", None, True, False),
]


@pytest.mark.parametrize(("case", "name", "short", "plain"), BADGES)
def test_party_badges_match_their_snapshots(awkward, snapshot, case, name, short, plain):
    parties = [*awkward[1], PartyFactory(name="Plain <Party>", short_name="", colour="")]
    party = {p.name: p for p in parties}[name] if name else None
    badge = party_badge(party, short=short, plain=plain)
    snapshot(f"party_badge/{case}", badge)
    # As the politician pages use it.
    source = "{% load fragment_tags %}{% party_badge party short=short plain=plain %}"
    assert render_template(source, party=party, short=short, plain=plain) == badge
    if party is None:
        for short_, plain_ in [(False, False), (False, True), (True, True)]:
            assert party_badge(None, short=short_, plain=plain_) == badge
    elif not plain:
        assert party_badge(party, short=short, url=party.get_absolute_url()) == badge
        given = party_badge(party, short=short, url='/p?a=1&b="<2>"')
        assert given == badge.replace(
            party.get_absolute_url(), "/p?a=1&amp;b=&quot;&lt;2&gt;&quot;"
        )


CARDS = [
    ("no-people", 4, ""),
    ("long-standfirst", 2, ""),
    ("seven-people", 3, ""),
    ("searched", 1, "economy"),
    ("searched-for-markup", 0, "<b>"),
    ("searched-with-exclusion", 2, "quotes -word1"),
]


def test_article_cards_match_their_snapshots(awkward, snapshot):
    articles = list(as_cards(Article.objects.published(NOW)))
    assert {len(a.public_mentions) for a in articles} >= {0, 1, 2, 6, 7}
    numbered = {a.headline: a for a in articles}
    urls = {"article_url": article_urls(), "politician_url": slug_urls("articles:politician")}
    for case, number, q in CARDS:
        article = numbered[f"Headline <b>{number}</b> & “quotes” 'economy'"]
        card = article_card(article, q, **urls)
        snapshot(f"result_card/{case}", card)
        assert article_cards([article], q) == f"<li>{card}</li>"
    for q in ("", "economy", "quotes -word1", "<b>"):
        assert article_cards(articles, q) == "".join(
            f"<li>{article_card(a, q, **urls)}</li>" for a in articles
        )


ENTRIES = [
    ("article", "article", "Headline <b>5</b> & “quotes” 'economy'"),
    ("article-without-party", "article", "Before <any> party & “all”"),
    ("joined", "joined", 'Joined the Rock & "Roll" <Party>'),
    ("left", "left", "Left No Short Name"),
    ("role-start", "role-start", "Became Minister <for> Things (A & B)"),
    ("role-end", "role-end", "Ceased to be Chair"),
]


def test_timeline_entries_match_their_snapshots(awkward, snapshot):
    politician = awkward[0][0]
    memberships = list(politician.memberships.select_related("party"))
    events = timeline.career_events(memberships, list(politician.roles.all()), today=NOW.date())
    rows = list(timeline._entry_rows(timeline.public_mentions(politician, now=NOW)))
    article_url = article_urls()

    def entry(kind, text):
        entries = [e for g in timeline.merge(rows, events) for e in g.entries]
        assert {e.kind for e in entries} == {"article", "joined", "left", "role-start", "role-end"}
        (found,) = (
            e
            for e in entries
            if e.kind == kind and (e.mention.article.headline if e.is_article else e.text) == text
        )
        return found

    for share in (False, True):  # with and without the party's address found once
        if share:
            timeline._share_parties(rows)
        for case, kind, text in ENTRIES:
            snapshot(
                f"timeline_entry/{case}", timeline_entry(entry(kind, text), article_url=article_url)
            )
        for newest_first in (True, False):
            for group in timeline.merge(rows, events, newest_first=newest_first):
                assert timeline_entries(group.entries) == "".join(
                    timeline_entry(e, article_url=article_url) for e in group.entries
                )


def test_home_lists_match_their_snapshots(awkward, snapshot):
    people_, parties = awkward
    covered = [
        {
            "politician__slug": p.slug,
            "politician__name": p.name,
            "n": n,
            "party": party_of(p, D(2020, 1, 1)),
        }
        for p, n in zip(people_, [1, 2, 1234, 0, 999, 1000, 5], strict=True)
    ]
    for party, n in zip(parties, [0, 1, 12345], strict=True):
        party.coverage = n
    window = ["/articles/?x=<&>", "2020-01-01", "2020-01-30"]
    snapshot("home_lists/covered", home_lists.home_covered(covered, *window))
    snapshot("home_lists/parties", home_lists.home_parties(parties, *window))


def test_chart_table_and_topic_options_match_their_snapshots(db, snapshot):
    chart = charts.coverage_chart(
        {D(2014, 3, 1): 5, D(2016, 1, 1): 1200, D(2016, 7, 1): 0},
        charts.Axis(D(2014, 2, 1), D(2016, 8, 1)),
    )
    snapshot("coverage_row/three-years", coverage_table_rows(chart))
    topics = [
        TopicFactory(name="Tax & <Spend>"),
        TopicFactory(name='"Health"'),
        TopicFactory(name="Economy"),
    ]
    snapshot("topic_option/none-chosen", topic_options(topics, None))
    snapshot("topic_option/one-chosen", topic_options(topics, topics[1]))


def test_article_page_lists_match_their_snapshots(awkward, snapshot):
    odd = person("Zoë <Ünïcode> & “Co”", "zoe-unicode", "Zoe")
    articles = list(
        Article.objects.published(NOW).select_related("source").order_by("published_at")
    )
    MentionFactory(article=articles[0], politician=odd, role=Mention.Role.QUOTED)
    list_url = reverse("articles:list")
    mentions, related = [], []
    for article in articles:
        named = list(mentions_in_order().filter(article=article))
        mentions.append(f"<ul>{article_page.mention_items(named, list_url)}</ul>\n")
        others = related_articles(article, [m.politician_id for m in named])
        related.append(f"<ul>{article_page.related_items(others)}</ul>\n")
    assert sum(m.count('class="mention"') for m in mentions) > 10
    snapshot("article_page/mentions-in-each-article", "".join(mentions))
    snapshot("article_page/related-to-each-article", "".join(related))
    snapshot("article_page/related-all-articles", article_page.related_items(articles))


@pytest.fixture
def party_awkward(awkward):
    """The ``awkward`` people's first party with members who joined on an unknown date or on the
    same day, who left twice, whose spells begin or end on unknown dates or lie ahead, and
    articles published just after midnight and just before it naming several members."""
    people_, parties = awkward
    party = parties[0]
    undated = person("Ünïcode <Undated> & “Co”", "undated", "Undated")
    MembershipFactory(politician=undated, party=party, start_date=None)
    twice = person("Twice & <Left>", "twice", "Twice")
    MembershipFactory(politician=twice, party=party, start_date=None, end_date=D(2003, 3, 3))
    MembershipFactory(
        politician=twice, party=party, start_date=D(2005, 5, 5), end_date=D(2011, 9, 30)
    )
    MembershipFactory(politician=twice, party=parties[1], start_date=D(2012, 1, 1))
    returning = person('"Returning" <One>', "returning", "Returning")
    MembershipFactory(
        politician=returning, party=party, start_date=D(1990, 1, 1), end_date=D(1995, 12, 31)
    )
    MembershipFactory(politician=returning, party=party, start_date=D(2090, 1, 1))
    MembershipFactory(politician=people_[6], party=party, start_date=D(2010, 1, 1))
    once = person("Left <Once>", "left-once", "Left")
    MembershipFactory(
        politician=once, party=party, start_date=D(2001, 2, 3), end_date=D(2019, 1, 1)
    )
    for hour, day in [(0, 1), (23, 31), (12, 15)]:
        article = ArticleFactory(
            headline=f"Party <{hour}> & “{day}”",
            published_at=on(2019, 3 if day != 15 else 10, day, hour),
            source=SourceFactory(name="Times & <Co>"),
        )
        for member in [people_[0], undated, people_[3], people_[6]][: 1 + hour % 4]:
            MentionFactory(article=article, politician=member)
    return party


def test_party_page_lists_match_their_snapshots(party_awkward, snapshot):
    party = party_awkward
    current, _ = people._current_members(party, NOW.date(), 100)
    former, _ = people._former_members(party, NOW.date(), 100)
    latest = people._latest_articles(party, 20)
    assert None in {m.start_date for m in current} and len(current) >= 4
    assert {len(f["spells"]) for f in former} >= {1, 2}
    assert {len(a.party_mentions) for a in latest} >= {1, 2, 4}
    # Unknown dates sort first on one database and last on the other: one list in each order.
    current.sort(key=lambda m: (m.start_date or D.min, m.politician.sort_name))
    former.sort(key=lambda f: f["politician"].sort_name)
    for f in former:
        f["spells"].sort(key=lambda m: (m.start_date or D.min, m.pk))
    snapshot("party_page/current-members", party_page.current_member_items(current))
    snapshot("party_page/former-members", party_page.former_member_items(former))
    snapshot("party_page/latest-articles", party_page.party_article_items(latest))
    for tag in (
        party_page.current_member_items,
        party_page.former_member_items,
        party_page.party_article_items,
    ):
        assert tag([]) == ""

    # Rows the database does not give: a spell with no dates at all, a member twice in an
    # article, several members who joined on the same day (dates formatted once each).
    first, other = current[0].politician, current[-1].politician
    same_day = [people.Member(p, D(2001, 2, 3)) for p in (first, other, first)]
    snapshot("party_page/current-members-same-day", party_page.current_member_items(same_day))
    spells = [PartyMembership(start_date=None, end_date=None)] * 2
    spells.append(PartyMembership(start_date=D(2001, 2, 3), end_date=D(2001, 2, 3)))
    rows = [{"politician": first, "spells": spells}, {"politician": other, "spells": spells[2:]}]
    snapshot("party_page/former-members-undated-spells", party_page.former_member_items(rows))
    article = latest[0]
    article.party_mentions = [*article.party_mentions, article.party_mentions[0]]
    snapshot("party_page/latest-article-member-twice", party_page.party_article_items([article]))


def test_party_page_shows_its_lists(client, party_awkward):
    response = client.get(party_awkward.get_absolute_url())
    assert response.status_code == 200
    page, context = response.content.decode(), response.context
    members = ('<ul class="member-list">\n      ', "\n    </ul>")
    # Members since an unknown date are listed apart, under their own heading; the fragment
    # renders the others.
    assert context["undated_members"] and context["dated_members"]
    for (opening, closing), tag, name in [
        (
            ('<ol class="tl-entries">\n        ', "\n      </ol>"),
            party_page.party_article_items,
            "latest",
        ),
        (members, party_page.current_member_items, "dated_members"),
        (members, party_page.former_member_items, "former_members"),
    ]:
        assert context[name]
        assert opening + tag(context[name]) + closing in page, name


FACET_QUERIES = [
    ("nothing-chosen", ""),
    ("party-and-search", "party=r-r&q=%3Cb%3E+%26+%22x%22"),
    ("politician-and-month", "politician=o-brien_0&year=2016&month=1"),
    ("year", "year=2017"),
]


@pytest.mark.parametrize(("case", "query"), FACET_QUERIES)
def test_facet_options_match_their_snapshots(awkward, snapshot, case, query):
    party = awkward[1][0]
    party.slug = "r-r"
    party.save()
    filterset = ArticleFilter(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    facets = [f for f in facet_counts(filterset).facets if f.options]
    assert facets
    snapshot(
        f"facet_option/{case}",
        "".join(f'<ul data-facet="{f.name}">\n{facet_options(f)}\n</ul>\n' for f in facets),
    )


def test_facet_options_with_large_estimated_and_fractional_counts(db, snapshot):
    party = PartyModel(name="Red", slug="red", colour="#E4003B")
    facet = Facet(
        name="extra",
        title="Extra",
        options=[
            Option("a", "A & <b>", "?a=1&b=<2>", count=1234567, estimate=True, party=party),
            Option("b", "B 'quoted'", '?q="x"', count=1),
            Option("c", "C", "?c", count=0),
            Option("d", "D", "?d", count=2.5),
            Option("e", "E", "?e", selected=True, party=party),
        ],
    )
    snapshot("facet_option/large-estimated-fractional-selected", facet_options(facet))


def snapshot_names():
    return {
        *(f"party_badge/{case}" for case, *_ in BADGES),
        *(f"result_card/{case}" for case, *_ in CARDS),
        *(f"timeline_entry/{case}" for case, *_ in ENTRIES),
        *(f"facet_option/{case}" for case, _ in FACET_QUERIES),
        "facet_option/large-estimated-fractional-selected",
        "home_lists/covered",
        "home_lists/parties",
        "coverage_row/three-years",
        "topic_option/none-chosen",
        "topic_option/one-chosen",
        "article_page/mentions-in-each-article",
        "article_page/related-to-each-article",
        "article_page/related-all-articles",
        *(
            f"party_page/{case}"
            for case in (
                "current-members",
                "former-members",
                "latest-articles",
                "current-members-same-day",
                "former-members-undated-spells",
                "latest-article-member-twice",
            )
        ),
    }


def test_every_snapshot_file_belongs_to_a_case():
    files = {str(p.relative_to(SNAPSHOTS).with_suffix("")) for p in SNAPSHOTS.rglob("*.html")}
    assert files == snapshot_names()


@pytest.mark.parametrize(
    "slug", ["plain", "with-dash_and_underscore-09", "Ünïcode", "a b", "x%2F", "-"]
)
def test_urls_made_from_one_reversed_url_equal_reverse(slug):
    for name in ("articles:politician", "articles:party"):
        try:
            expected = reverse(name, kwargs={"slug": slug})
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                slug_urls(name)(slug)
        else:
            assert slug_urls(name)(slug) == expected
    article_url = article_urls()
    for published_at in (on(2016, 1, 1, 0), on(2016, 12, 31, 23), on(999, 3, 9)):
        article = Article(slug=slug, published_at=published_at)
        try:
            expected = article.get_absolute_url()
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                article_url(article)
        else:
            assert article_url(article) == expected


# Escaping ---------------------------------------------------------------------------------------


def hostile(field):
    """Text for ``field`` that breaks the page if it is not escaped."""
    return f"<script>alert('{field}')</script> \"{field}\" & <b>"


def assert_escaped(markup, *fields):
    assert isinstance(markup, SafeString)
    assert "<script>" not in markup and "<b>" not in markup
    for field in fields:
        assert html.escape(hostile(field)) in markup, field


SAFE = mark_safe("<em>already safe</em>")


def hostile_party(**changes):
    values = {
        "name": hostile("party"),
        "short_name": hostile("short"),
        "slug": "hostile",
        "colour": 'red" onmouseover="x',
    } | changes
    url = values.pop("url", None)
    party = PartyModel(**values)
    if url is not None:
        party.url = url  # as the timeline's rows carry it
    return party


def hostile_article(headline=None, **mention_changes):
    article = Article(
        headline=headline or hostile("headline"),
        slug="hostile",
        standfirst=hostile("standfirst"),
        body="Body.",
        published_at=on(2016, 6, 28),
    )
    article.source = Source(name=hostile("source"))
    politician = Politician(name=mention_changes.pop("name", hostile("politician")), slug="p")
    party = mention_changes.pop("party", hostile_party())
    mention = Mention(article=article, politician=politician, party=party, role="quoted")
    article.public_mentions = article.party_mentions = [mention]
    return article, mention


@pytest.mark.parametrize("short", [False, True])
@pytest.mark.parametrize("plain", [False, True])
def test_party_badges_escape_every_text(short, plain):
    badge = party_badge(hostile_party(), short=short, plain=plain, url=hostile("url"))
    assert_escaped(badge, "party", *(["short"] if short else []), *([] if plain else ["url"]))
    assert "onmouseover" not in badge  # a colour that is not #rrggbb is left out
    assert_escaped(titled_party_badge(hostile_party(url=hostile("url"))), "party", "short", "url")
    assert SAFE in party_badge(hostile_party(name=SAFE), short=short, plain=plain)
    assert SAFE in titled_party_badge(hostile_party(short_name=SAFE))


@pytest.mark.parametrize("q", ["", "alert"])
def test_article_cards_escape_every_text(q):
    article, _ = hostile_article()
    card = article_cards([article], q)
    assert "<script>" not in card
    for field in ("source", "politician", "short") + (("headline", "standfirst") if not q else ()):
        assert html.escape(hostile(field)) in card, field
    safe_headline, _ = hostile_article(headline=SAFE)
    assert SAFE in article_cards([safe_headline])
    named_safe, _ = hostile_article(name=SAFE)
    assert SAFE in article_cards([named_safe], q)


def test_timeline_entries_escape_every_text():
    _, mention = hostile_article()
    mention.party.url = hostile("url")
    entry = timeline.article_entry(mention)
    event = timeline.Entry("joined", on(2010, 1, 1), hostile("event"), party=hostile_party())
    assert_escaped(
        timeline_entries([entry, event]), "headline", "standfirst", "source", "party", "url"
    )
    assert_escaped(timeline_entries([event]), "event", "party", "short")
    assert SAFE in timeline_entries([timeline.Entry("left", on(2010, 1, 1), SAFE)])
    _, safe_mention = hostile_article(headline=SAFE)
    assert SAFE in timeline_entries([timeline.article_entry(safe_mention)])


def test_facet_options_escape_every_text():
    options = [
        Option("a", hostile("label"), hostile("url"), count=3, party=hostile_party()),
        Option("b", hostile("chosen"), hostile("chosen url"), selected=True),
        Option("c", SAFE, "?c", count=1),
    ]
    markup = facet_options(Facet(name="x", title="X", options=options))
    assert_escaped(markup, "label", "url", "chosen", "chosen url")
    assert "onmouseover" not in markup
    assert SAFE in markup


def test_home_lists_escape_every_text():
    row = {"politician__slug": "p", "politician__name": hostile("name"), "n": 2}
    window = [hostile("list"), hostile("since"), hostile("until")]
    covered = home_lists.home_covered([row | {"party": hostile_party()}], *window)
    assert_escaped(covered, "name", "short", "party", "list", "since", "until")
    party = hostile_party()
    party.coverage = 3
    assert_escaped(home_lists.home_parties([party], *window), "party", "list", "since", "until")
    assert SAFE in home_lists.home_covered(
        [row | {"politician__name": SAFE, "party": None}], *window
    )


def test_chart_table_and_topic_options_escape_every_text():
    chart = SimpleNamespace(
        rows=[SimpleNamespace(year=2016, cells=[hostile("cell"), SAFE], total=3)]
    )
    assert_escaped(coverage_table_rows(chart), "cell")
    assert SAFE in coverage_table_rows(chart)
    topics = [Topic(slug=hostile("slug"), name=hostile("topic")), Topic(slug="s", name=SAFE)]
    assert_escaped(topic_options(topics, topics[0]), "slug", "topic")
    assert SAFE in topic_options(topics, None)


def test_article_page_lists_escape_every_text():
    article, mention = hostile_article()
    assert_escaped(
        article_page.mention_items([mention], hostile("list")), "politician", "party", "list"
    )
    assert_escaped(article_page.related_items([article]), "headline", "source")
    _, safe_mention = hostile_article(name=SAFE)
    assert SAFE in article_page.mention_items([safe_mention], "/articles/")


def test_party_page_lists_escape_every_text():
    article, mention = hostile_article()
    politician = mention.politician
    assert_escaped(
        party_page.current_member_items([people.Member(politician, D(2001, 2, 3))]), "politician"
    )
    spells = [PartyMembership(start_date=None, end_date=D(2003, 3, 3))]
    former = [{"politician": politician, "spells": spells}]
    assert_escaped(party_page.former_member_items(former), "politician")
    assert_escaped(
        party_page.party_article_items([article]), "headline", "standfirst", "source", "politician"
    )
    safe, _ = hostile_article(headline=SAFE)
    assert SAFE in party_page.party_article_items([safe])


def test_a_fragment_takes_exactly_its_named_placeholders():
    link = fragments.fragment('<a href="{url}" title="{name}">{name}</a>')
    assert link(url="/?a=1&b=2", name="<x>") == (
        '<a href="/?a=1&amp;b=2" title="&lt;x&gt;">&lt;x&gt;</a>'
    )
    assert link(url=SAFE, name=3) == f'<a href="{SAFE}" title="3">3</a>'
    with pytest.raises(TypeError):
        link(url="/")
    with pytest.raises(TypeError):
        link(url="/", name="x", title="x")
    for markup in ("{}", "{0}", "{name!r}", "{count:d}", "{class}", "{_hidden}", "{a.b}"):
        with pytest.raises(ValueError):
            fragments.fragment(markup)
    assert fragments.join(["<a>", SAFE], ", ") == f"&lt;a&gt;, {SAFE}"


# Styles ------------------------------------------------------------------------------------------

STATIC_CSS = Path(__file__).parents[1] / "static" / "css"
# Values a class's placeholder takes.
CLASS_VALUES = {"role": Mention.Role.values, "kind": [k for k in timeline._RANK if k != "article"]}


def fragment_classes():
    """Every class the fragments' markup renders, placeholders expanded to their values."""
    markups = []
    for path in Path(fragments.__file__).parent.glob("*.py"):
        module = __import__(f"articles.web.fragments.{path.stem}", fromlist=["_"])
        for value in vars(module).values():
            if isinstance(value, SafeString):
                markups.append(str(value))
            elif callable(value) and isinstance(getattr(value, "markup", None), str):
                markups.append(value.markup)
    classes = set()
    for markup in markups:
        for attribute in re.findall(r'class="([^"]*)"', markup):
            for name in attribute.split():
                placeholder = re.search(r"\{(\w+)\}", name)
                if placeholder:
                    values = CLASS_VALUES[placeholder[1]]
                    classes |= {name.replace(placeholder[0], v) for v in values}
                else:
                    classes.add(name)
    return classes


def test_every_class_the_fragments_render_is_styled():
    classes = fragment_classes()
    assert {"party-badge", "card", "tl-role--subject", "tl-event--joined", "facet-count"} <= classes
    css = "\n".join(p.read_text(encoding="utf-8") for p in STATIC_CSS.glob("*.css"))
    unstyled = {c for c in classes if not re.search(rf"\.{re.escape(c)}(?![\w-])", css)}
    assert not unstyled, f"classes with no rule in static/css/: {sorted(unstyled)}"
