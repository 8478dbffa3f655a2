"""Building the timeline stream: events, ordering, paging, and counts equal to plain queries."""

import datetime as dt
import random
from collections import Counter

import pytest

from articles.derived import parties
from articles.derived.parties import party_of
from articles.models import Article, Mention, Party, PartyMembership, Role
from articles.web import timeline
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    TopicFactory,
    on,
)

D = dt.date


@pytest.mark.parametrize(
    "name, short, phrase",
    [
        ("UK Independence Party", "UKIP", "the UK Independence Party"),
        ("Conservative Party", "Conservatives", "the Conservative Party"),
        ("Labour Party", "Labour", "the Labour Party"),
        ("Liberal Democrats", "LD", "the Liberal Democrats"),
        ("Scottish Greens", "", "the Scottish Greens"),
        ("Alliance Party of Northern Ireland", "APNI", "the Alliance Party of Northern Ireland"),
        ("Plaid Cymru", "PC", "Plaid Cymru"),
        ("Reform UK", "Reform", "Reform UK"),
        ("Green Party", "Grn", "the Green Party"),
        ("The Independent Group", "", "The Independent Group"),
    ],
)
def test_party_phrase_gives_the_full_name_read_naturally(name, short, phrase):
    assert timeline.party_phrase(Party(name=name, short_name=short)) == phrase


def test_career_events_skip_the_undated_and_the_future():
    party = Party(name="Labour Party", short_name="Labour")
    memberships = [
        PartyMembership(party=party, start_date=None, end_date=D(2001, 1, 1)),
        PartyMembership(party=party, start_date=D(2005, 1, 1), end_date=D(2030, 1, 1)),
    ]
    roles = [Role(title="Chief Whip", organisation="HM Government", start_date=D(2019, 1, 1))]
    events = timeline.career_events(memberships, roles, today=D(2020, 1, 1))
    assert sorted((e.on, e.text) for e in events) == [
        (D(2001, 1, 1), "Left the Labour Party"),
        (D(2005, 1, 1), "Joined the Labour Party"),
        (D(2019, 1, 1), "Became Chief Whip (HM Government)"),
    ]


@pytest.mark.parametrize(
    "title, organisation, post",
    [
        ("Leader of the Labour Party", "Labour Party", "Leader of the Labour Party"),
        ("Leader of the labour party", "Labour Party", "Leader of the labour party"),
        ("Chief Whip", "HM Government", "Chief Whip (HM Government)"),
        ("Shadow Chancellor", "", "Shadow Chancellor"),
        ("UKIP spokesman", "UKIP", "UKIP spokesman"),
    ],
)
def test_a_post_names_its_organisation_once(title, organisation, post):
    role = Role(title=title, organisation=organisation, start_date=D(2015, 9, 12))
    (event,) = timeline.career_events([], [role], today=D(2020, 1, 1))
    assert event.text == f"Became {post}"
    assert timeline.post_name(role) == post


def fake_mention(pk, when):
    return Mention(pk=pk, article=Article(pk=pk, published_at=when, headline=f"A{pk}"))


def test_same_day_join_comes_before_articles_and_leaving_after():
    JOINED, LEFT = "Joined the UK Independence Party", "Left the UK Independence Party"
    party = Party(name="UK Independence Party", short_name="UKIP")
    memberships = [PartyMembership(party=party, start_date=D(2014, 8, 28), end_date=D(2014, 8, 28))]
    events = timeline.career_events(memberships, [], today=D(2020, 1, 1))
    articles = [fake_mention(1, on(2014, 8, 28, 0)), fake_mention(2, on(2014, 8, 28, 23))]
    (group,) = timeline.merge(articles, events, newest_first=False)
    assert [e.text or e.mention.pk for e in group.entries] == [JOINED, 1, 2, LEFT]
    (group,) = timeline.merge(articles, events, newest_first=True)
    assert [e.text or e.mention.pk for e in group.entries] == [LEFT, 2, 1, JOINED]


@pytest.fixture
def varied(time_machine):
    """A politician with random coverage, two party spells and a post, plus noise."""
    time_machine.move_to(dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False)
    rng = random.Random(7)
    person, friend = PoliticianFactory(), PoliticianFactory()
    red, blue = PartyFactory(name="Red Party"), PartyFactory(name="Blue Party")
    MembershipFactory(
        politician=person, party=red, start_date=D(2010, 1, 1), end_date=D(2013, 6, 30)
    )
    MembershipFactory(politician=person, party=blue, start_date=D(2013, 7, 1))
    RoleFactory(politician=person, title="Whip", start_date=D(2012, 2, 2), end_date=D(2016, 3, 3))
    topic = TopicFactory(name="Health")
    for _ in range(60):
        when = on(
            rng.randint(2010, 2021), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23)
        )
        status = rng.choice([Article.Status.PUBLISHED] * 4 + [Article.Status.DRAFT])
        article = ArticleFactory(published_at=when, status=status)
        if rng.random() < 0.4:
            article.topics.add(topic)
        MentionFactory(
            article=article,
            politician=person,
            role=rng.choice(Mention.Role.values),
            state=rng.choice([Mention.State.CONFIRMED] * 5 + [Mention.State.SUGGESTED]),
        )
        if rng.random() < 0.5:
            MentionFactory(article=article, politician=friend)
    return person, friend, topic


def visible(person, **conditions):
    """The straightforward way: every public article, checked one by one."""
    result = []
    for article in Article.objects.published():
        mention = article.mentions.filter(politician=person, state="confirmed").first()
        if mention and all(check(article, mention) for check in conditions.values()):
            result.append(article)
    return result


@pytest.mark.django_db
def test_grouped_counts_equal_straightforward_counts(varied):
    person, friend, topic = varied
    articles = visible(person)
    by_month = Counter(D(a.published_on.year, a.published_on.month, 1) for a in articles)
    assert timeline.monthly_counts(timeline.public_mentions(person)) == dict(by_month)
    by_year = Counter(a.published_on.year for a in articles)
    assert timeline.yearly_counts(timeline.public_mentions(person)) == dict(by_year)
    assert timeline.years_from_months(by_month) == dict(by_year)

    narrowed = visible(
        person,
        topic=lambda a, m: a.topics.filter(pk=topic.pk).exists(),
        role=lambda a, m: m.role == "quoted",
        friend=lambda a, m: a.mentions.filter(politician=friend, state="confirmed").exists(),
    )
    mentions = timeline.public_mentions(person, topic=topic, role="quoted", with_politician=friend)
    assert timeline.yearly_counts(mentions) == dict(Counter(a.published_on.year for a in narrowed))


@pytest.mark.django_db
@pytest.mark.parametrize("newest_first", [True, False])
def test_pages_of_a_year_put_together_equal_the_whole_year(varied, monkeypatch, newest_first):
    person, _, _ = varied
    monkeypatch.setattr(timeline, "PAGE_SIZE", 3)
    memberships = list(person.memberships.select_related("party"))
    events = timeline.career_events(memberships, list(person.roles.all()), today=D(2020, 6, 1))
    mentions = timeline.public_mentions(person)
    years = timeline.yearly_counts(mentions)
    for year in sorted(set(years) | {2013, 2016}):
        whole = timeline.merge(
            [m for m in mentions.select_related("article") if m.published_on.year == year],
            [e for e in events if e.on.year == year],
            newest_first=newest_first,
        )
        expected = [e for g in whole for e in g.entries]
        first = timeline.timeline_slice(
            mentions, events, count=years.get(year, 0), year=year, newest_first=newest_first
        )
        pages = [first] + [
            timeline.timeline_slice(
                mentions,
                events,
                count=years.get(year, 0),
                year=year,
                page=n,
                newest_first=newest_first,
            )
            for n in range(2, first.pages + 1)
        ]
        got = [e for p in pages for g in p.groups for e in g.entries]
        assert [e.key for e in got] == [e.key for e in expected], year


@pytest.mark.django_db
def test_party_rule_in_memory_matches_the_database(varied):
    person, _, _ = varied
    green = PartyFactory(name="Green Party")
    # One party at a time: the blue membership pauses for a year of Green.
    blue = person.memberships.get(start_date=D(2013, 7, 1))
    blue.end_date = D(2014, 12, 31)
    blue.save()
    MembershipFactory(
        politician=person, party=green, start_date=D(2015, 1, 1), end_date=D(2015, 12, 31)
    )
    MembershipFactory(politician=person, party=blue.party, start_date=D(2016, 1, 1))
    memberships = list(person.memberships.select_related("party"))
    for day in (D(2009, 1, 1), D(2012, 1, 1), D(2013, 7, 1), D(2015, 6, 1), D(2019, 1, 1)):
        found = parties.deciding(memberships, day)
        assert (found.party if found else None) == party_of(person, day), day


@pytest.mark.django_db
def test_co_mentions_equal_a_straightforward_count(varied):
    person, friend, _ = varied
    rows = timeline.co_mentioned(person)
    plain = sum(
        1
        for a in visible(person)
        if a.mentions.filter(politician=friend, state="confirmed").exists()
    )
    assert rows == [
        {
            "politician__slug": friend.slug,
            "politician__name": friend.name,
            "politician__sort_name": friend.sort_name,
            "n": plain,
        }
    ]


@pytest.mark.django_db
def test_visible_mentions_are_exactly_the_public_ones(varied):
    person, friend, _ = varied
    MentionFactory(politician=friend, article=ArticleFactory(published_at=on(2020, 6, 2)))
    expected = set(Mention.objects.public().values_list("pk", flat=True))
    assert set(timeline.visible_mentions().values_list("pk", flat=True)) == expected
    assert Mention.objects.count() > len(expected)  # drafts, suggestions and the future exist


@pytest.mark.django_db
def test_co_mentions_in_one_year(varied):
    person, friend, _ = varied
    for year in (2012, 2016):
        plain = sum(
            1
            for a in visible(person)
            if a.published_on.year == year
            and a.mentions.filter(politician=friend, state="confirmed").exists()
        )
        rows = timeline.co_mentioned(person, year=year)
        assert [r["n"] for r in rows] == ([plain] if plain else [])
