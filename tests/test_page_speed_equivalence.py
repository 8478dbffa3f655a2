"""The readers' pages' faster queries give what straightforward ones give, on varied data.

The politician's timeline pages (bounded by the mention dates), the party page's members (counted
and sliced in SQL), the home page's counts of the archive's latest twelve months (from the stored
counts), related articles (with ties past the rows first fetched) and the party API's members are
each compared with the obvious computation over all rows. The fragments the pages render in
Python are pinned by tests/test_fragments.py.
"""

import contextlib
import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles import derived
from articles.models import Article, Mention, PartyMembership
from articles.web import charts, timeline
from articles.web.views import people
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

NOW = dt.datetime(2020, 6, 1, 12, 0, tzinfo=dt.UTC)
D = dt.date


def public_mentions_plain(person, **conditions):
    """The person's confirmed mentions in public articles, filtered in Python."""
    return [
        m
        for m in Mention.objects.filter(politician=person, **conditions).select_related("article")
        if m.state == Mention.State.CONFIRMED and m.article.is_public(NOW)
    ]


# Timeline pages -------------------------------------------------------------------------------


@pytest.fixture
def busy(time_machine):
    """One politician with many articles on few days (pages end inside a day), at all hours."""
    time_machine.move_to(NOW, tick=False)
    rng = random.Random(11)
    person = PoliticianFactory(name="Busy Person", slug="busy")
    friend = PoliticianFactory(name="Friend", slug="friend")
    MembershipFactory(politician=person, party=PartyFactory(name="Red"), start_date=D(2010, 1, 1))
    topic = TopicFactory(name="Economy", slug="economy")
    days = [D(2016, 1, 1), D(2016, 1, 2), D(2016, 3, 9), D(2016, 12, 31), D(2017, 1, 1)]
    with derived.change():
        for i in range(70):
            day = rng.choice(days)
            article = ArticleFactory(
                published_at=on(day.year, day.month, day.day, rng.choice([0, 1, 12, 12, 23])),
                status="draft" if i % 13 == 0 else "published",
                topics=[topic] if i % 3 else [],
            )
            state = Mention.State.SUGGESTED if i % 17 == 0 else Mention.State.CONFIRMED
            MentionFactory(
                article=article,
                politician=person,
                role=rng.choice(Mention.Role.values),
                state=state,
            )
            if i % 4 == 0:
                MentionFactory(article=article, politician=friend)
        future = ArticleFactory(published_at=on(2020, 6, 2), status="published")
        MentionFactory(article=future, politician=person)
    return person, friend, topic


@pytest.mark.parametrize("page_size", [3, 7])
@pytest.mark.parametrize("newest_first", [True, False])
@pytest.mark.parametrize("narrowing", ["", "role", "topic", "with"])
def test_timeline_pages_equal_a_plain_slice_of_the_year(
    busy, monkeypatch, page_size, newest_first, narrowing
):
    person, friend, topic = busy
    monkeypatch.setattr(timeline, "PAGE_SIZE", page_size)
    options = {
        "": {},
        "role": {"role": Mention.Role.QUOTED},
        "topic": {"topic": topic},
        "with": {"with_politician": friend},
    }[narrowing]
    mentions = timeline.public_mentions(person, now=NOW, **options)
    wanted = [
        m
        for m in public_mentions_plain(person)
        if (not options.get("role") or m.role == options["role"])
        and (not options.get("topic") or m.article.topics.filter(pk=topic.pk).exists())
        and (
            not options.get("with_politician")
            or m.article.mentions.filter(politician=friend, state="confirmed").exists()
        )
    ]
    for year in (2015, 2016, 2017):
        in_year = sorted(
            (m for m in wanted if m.article.published_on.year == year),
            key=lambda m: (m.article.published_at, m.article_id),
            reverse=newest_first,
        )
        pages = max((len(in_year) + page_size - 1) // page_size, 1)
        for page in range(1, pages + 2):  # one past the last: shown as the last
            got = timeline.timeline_slice(
                mentions,
                [],
                count=len(in_year),
                year=year,
                page=page,
                newest_first=newest_first,
            )
            shown = min(page, pages)
            expected = in_year[(shown - 1) * page_size : shown * page_size]
            entries = [e for g in got.groups for e in g.entries]
            assert [e.mention.pk for e in entries] == [m.pk for m in expected], (year, page)


def test_a_busy_politicians_page_matches_its_articles(client, busy):
    person, _, _ = busy
    response = client.get(person.get_absolute_url(), {"year": 2016, "order": "oldest"})
    assert response.status_code == 200
    stream = response.context["stream"]
    shown = [e.mention.article_id for g in stream.groups for e in g.entries if e.is_article]
    expected = sorted(
        (m for m in public_mentions_plain(person) if m.article.published_on.year == 2016),
        key=lambda m: (m.article.published_at, m.article_id),
    )
    assert shown == [m.article_id for m in expected][: timeline.PAGE_SIZE]


# Party members --------------------------------------------------------------------------------


@pytest.fixture
def members(time_machine):
    """A party with current, former, returning and future members, undated spells and ties."""
    time_machine.move_to(NOW, tick=False)
    today = NOW.date()
    rng = random.Random(3)
    party = PartyFactory(name="Blue Party", slug="blue")
    other = PartyFactory(name="Green Party", slug="green")
    starts = [None, D(1990, 1, 1), D(2001, 5, 5), D(2010, 6, 1), D(2015, 5, 7), D(2021, 1, 1)]
    ends = [None, None, D(2005, 1, 1), D(2015, 5, 6), D(2019, 12, 12), today, D(2030, 1, 1)]
    for i in range(40):
        person = PoliticianFactory(name=f"Member {i % 9}", family_name=f"Member{i % 9}")
        for _ in range(rng.choice([1, 1, 2, 3])):
            start, end = rng.choice(starts), rng.choice(ends)
            if start and end and end < start:
                start, end = end, start
            # PostgreSQL refuses overlapping spells in one party; SQLite keeps them.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                MembershipFactory(
                    politician=person,
                    party=rng.choice([party, party, other]),
                    start_date=start,
                    end_date=end,
                )
    return party, today


def plain_members(party, today):
    """Current members (the spell begun last that holds today) and former members, in the
    page's order, from every membership of the party."""
    by_person = {}
    for m in PartyMembership.objects.filter(party=party).select_related("politician"):
        by_person.setdefault(m.politician, []).append(m)
    current, former = [], []
    for person, spells in by_person.items():
        holding = [m for m in spells if m.is_current(today)]
        if holding:
            latest = max(holding, key=lambda m: (m.start_date or dt.date.min, m.pk))
            current.append((person, latest.start_date))
        elif any(m.start_date is None or m.start_date <= today for m in spells):
            left = max(m.end_date for m in spells if m.end_date and m.end_date < today)
            dated = [m.start_date for m in spells if m.start_date]
            joined = min(dated) if dated else None
            former.append((person, left, joined, min(m.pk for m in spells)))
    current.sort(key=lambda row: (row[1] or dt.date.min, row[0].sort_name, row[0].name, row[0].pk))
    former.sort(key=lambda row: (row[2] is None, row[2] or dt.date.min, row[3]))
    former.sort(key=lambda row: row[1], reverse=True)
    return current, former


@pytest.mark.parametrize("shown", [1, 5, 100])
def test_party_members_equal_a_plain_split_of_the_memberships(client, members, monkeypatch, shown):
    party, today = members
    monkeypatch.setattr(people, "MEMBERS_SHOWN", shown)
    current, former = plain_members(party, today)
    assert current and former
    response = client.get(party.get_absolute_url())
    assert response.status_code == 200
    context = response.context
    assert context["current_count"] == len(current)
    assert context["former_count"] == len(former)
    assert [(m.politician, m.start_date) for m in context["current_members"]] == current[:shown]
    assert [f["politician"] for f in context["former_members"]] == [r[0] for r in former[:shown]]
    for row in context["former_members"]:
        expected = PartyMembership.objects.filter(party=party, politician=row["politician"])
        assert row["spells"] == list(expected.order_by("start_date", "pk"))


def test_party_latest_articles_list_the_partys_members_in_each(client, members):
    party, _ = members
    memberships = party.memberships.order_by("pk")
    people_in_party = list(dict.fromkeys(m.politician for m in memberships))[:6]
    rng = random.Random(8)
    for i in range(30):
        article = ArticleFactory(
            published_at=on(2016 + i % 4, 1 + i % 12, 1 + i % 27, rng.choice([0, 12])),
            status="draft" if i % 7 == 0 else "published",
        )
        for person in rng.sample(people_in_party, rng.randrange(1, 4)):
            MentionFactory(
                article=article,
                politician=person,
                state=rng.choice(["confirmed"] * 4 + ["suggested"]),
            )
    response = client.get(party.get_absolute_url())
    latest = response.context["latest"]
    expected = (
        Article.objects.published(NOW)
        .filter(mentions__party=party, mentions__state="confirmed")
        .distinct()
        .order_by("-published_at", "-id")[: people.LATEST_ARTICLES]
    )
    assert [a.pk for a in latest] == [a.pk for a in expected]
    for article in latest:
        plain = sorted(
            (
                m
                for m in article.mentions.select_related("politician")
                if m.state == "confirmed" and m.party_id == party.pk
            ),
            key=lambda m: (m.politician.sort_name, m.politician.name, m.pk),
        )
        assert article.party_mentions == plain


def test_party_list_article_counts_equal_a_plain_count(client, members):
    party, _ = members
    memberships = party.memberships.order_by("pk")
    people_in_party = list(dict.fromkeys(m.politician for m in memberships))[:5]
    rng = random.Random(4)
    for i in range(25):
        when = on(2014 + i % 6, 1 + i % 12, 1 + i % 27) if i % 6 else NOW + dt.timedelta(days=i)
        article = ArticleFactory(published_at=when, status="draft" if i % 9 == 0 else "published")
        for person in rng.sample(people_in_party, rng.randrange(1, 3)):
            MentionFactory(article=article, politician=person)
    response = client.get(reverse("articles:parties"))
    assert response.status_code == 200
    for row in response.context["parties"]:
        plain = Article.objects.published(NOW).in_party(row).count()
        assert row.article_count == plain, row


# Home page coverage ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "newest",
    [D(2016, 6, 28), D(2016, 6, 30), D(2016, 7, 1), D(2016, 3, 1), D(2016, 1, 15), D(2016, 12, 31)],
)
def test_home_coverage_equals_a_count_of_the_window(client, time_machine, newest):
    now = on(newest.year, newest.month, newest.day, 18)
    time_machine.move_to(now, tick=False)
    rng = random.Random(newest.toordinal())
    red, blue = PartyFactory(name="Red"), PartyFactory(name="Blue")
    brexit, economy = TopicFactory(name="Brexit"), TopicFactory(name="Economy")
    persons = [PoliticianFactory(name=f"Person {i}", family_name=f"P{i}") for i in range(12)]
    for i, person in enumerate(persons[:9]):
        MembershipFactory(politician=person, party=[red, blue, red][i % 3], start_date=None)
    start = newest - dt.timedelta(days=420)
    with derived.change():
        for i in range(150):
            day = start + dt.timedelta(days=rng.randrange(0, 421))
            article = ArticleFactory(
                published_at=on(day.year, day.month, day.day, rng.choice([0, 12, 23])),
                status="draft" if i % 10 == 0 else "published",
                topics=rng.sample([brexit, economy], rng.randrange(0, 3)),
            )
            for person in rng.sample(persons, rng.randrange(1, 4)):
                MentionFactory(
                    article=article,
                    politician=person,
                    state=rng.choice(["confirmed"] * 5 + ["suggested", "rejected"]),
                )
        last = ArticleFactory(published_at=on(newest.year, newest.month, newest.day, 12))
        MentionFactory(article=last, politician=persons[0])
        # Published, but dated later today, tomorrow (often the same month) and next month.
        for later in (dt.timedelta(hours=3), dt.timedelta(days=1), dt.timedelta(days=40)):
            article = ArticleFactory(published_at=now + later, topics=[brexit])
            MentionFactory(article=article, politician=persons[1])
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    since = charts.add_months(D(newest.year, newest.month, 1), -11)
    public = [a for a in Article.objects.all() if a.is_public()]
    window = [a for a in public if since <= a.published_on <= newest]
    assert response.context["newest"] == newest
    assert response.context["since"] == since
    mentions = [
        m
        for m in Mention.objects.select_related("article", "politician")
        if m.state == "confirmed" and m.article in window
    ]
    per_person = {}
    for m in mentions:
        per_person[m.politician] = per_person.get(m.politician, 0) + 1
    ranked = sorted(per_person.items(), key=lambda kv: (-kv[1], kv[0].sort_name, kv[0].name))
    covered = [(row["politician__slug"], row["n"]) for row in response.context["covered"]]
    assert covered == [(p.slug, n) for p, n in ranked[:10]]
    per_party = {}
    for m in mentions:
        if m.party_id:
            per_party.setdefault(m.party_id, set()).add(m.article_id)
    assert {p.pk: p.coverage for p in response.context["parties"]} == {
        p.pk: len(per_party.get(p.pk, ())) for p in (red, blue)
    }
    per_topic = {t.pk: sum(t in a.topics.all() for a in window) for t in (brexit, economy)}
    assert {t.pk: t.coverage for t in response.context["topics"]} == {
        pk: n for pk, n in per_topic.items() if n
    }
    per_year = {}
    for a in public:
        per_year[a.published_on.year] = per_year.get(a.published_on.year, 0) + 1
    assert dict(response.context["years"]) == per_year
    chart = response.context["chart"]
    assert (chart.axis.start, chart.axis.end) == (since, D(newest.year, newest.month, 1))
    assert chart.total == len(window)


# Related articles and the party API -----------------------------------------------------------


def test_related_articles_with_ties_past_the_first_rows(time_machine):
    from articles.web.views.browse import RELATED, related_articles

    time_machine.move_to(NOW, tick=False)
    person, other = PoliticianFactory(), PoliticianFactory()
    article = ArticleFactory(published_at=on(2019, 5, 1))
    MentionFactory(article=article, politician=person)
    MentionFactory(article=article, politician=other)
    for hour in range(60):  # sixty articles sharing one politician, all on one day
        tied = ArticleFactory(published_at=on(2019, 5, 2) + dt.timedelta(minutes=hour))
        MentionFactory(article=tied, politician=person)
    both = ArticleFactory(published_at=on(2019, 4, 1))
    MentionFactory(article=both, politician=person)
    MentionFactory(article=both, politician=other)
    got = related_articles(article, [person.pk, other.pk])
    shared_one = Article.objects.filter(published_at__date=D(2019, 5, 2)).order_by(
        "-published_at", "-id"
    )
    assert [a.pk for a in got] == [both.pk] + [a.pk for a in shared_one[: RELATED - 1]]


def related_plain(article, articles):
    """The related articles of ``article`` by the obvious computation over all ``articles``
    (with their mentions): (article, shared) for the public ones within the window that name
    its confirmed politicians, most shared first, then newest."""
    from articles.web.views.browse import RELATED, RELATED_WINDOW

    confirmed = Mention.State.CONFIRMED
    people = {m.politician_id for m in article.mentions.all() if m.state == confirmed}
    on_ = article.published_on
    scored = []
    for other in articles:
        if other.pk == article.pk or not other.is_public(NOW):
            continue
        if not on_ - RELATED_WINDOW <= other.published_on <= on_ + RELATED_WINDOW:
            continue
        shared = sum(
            m.state == confirmed and m.politician_id in people for m in other.mentions.all()
        )
        if shared:
            scored.append((other, shared))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].published_at.timestamp(), -pair[0].pk))
    return scored[:RELATED]


@pytest.fixture
def crowded(time_machine):
    """Articles on a few days naming one to four of six people (one of them in seventy articles
    on one day), so that shared counts tie often and ties run past the rows first fetched;
    drafts, articles dated after now and unconfirmed mentions among them."""
    time_machine.move_to(NOW, tick=False)
    rng = random.Random(3)
    people = [PoliticianFactory(name=f"Crowded {i}") for i in range(6)]
    sources = [SourceFactory(name=f"Source <{i}> & co") for i in range(3)]
    days = [D(2019, 9, 1), D(2020, 1, 1), D(2020, 1, 2), D(2020, 4, 30), D(2020, 6, 1)]
    states = [Mention.State.CONFIRMED] * 5 + [Mention.State.SUGGESTED, Mention.State.REJECTED]
    with derived.change():
        for i in range(150):
            day = D(2020, 1, 2) if i < 70 else rng.choice(days)
            article = ArticleFactory(
                published_at=on(day.year, day.month, day.day, rng.choice([0, 9, 12, 23]))
                + dt.timedelta(minutes=rng.randrange(60)),
                status="draft" if i % 17 == 0 else "published",
                source=rng.choice(sources),
            )
            named = [people[0]] if i < 70 else rng.sample(people, rng.choice([1, 2, 2, 3, 4]))
            for person in named:
                MentionFactory(
                    article=article,
                    politician=person,
                    state=Mention.State.CONFIRMED if i < 70 else rng.choice(states),
                )
    return people


def test_related_articles_equal_a_plain_ranking(crowded, monkeypatch):
    from articles.web.views import browse

    leading, calls = browse._leading_articles, []

    def counted(rows):
        found = leading(rows)
        calls.append(len(found))
        return found

    monkeypatch.setattr(browse, "_leading_articles", counted)
    articles = list(Article.objects.select_related("source").prefetch_related("mentions"))
    compared = 0
    for article in articles:
        if not article.is_public(NOW):
            continue
        ids = [m.politician_id for m in article.mentions.all() if m.state == "confirmed"]
        got = browse.related_articles(article, ids)
        expected = related_plain(article, articles)
        assert [(a.pk, a.shared) for a in got] == [(a.pk, n) for a, n in expected]
        # Built from the joined row: the shown fields and the source equal the stored ones.
        assert [(a.headline, a.slug, a.published_at, a.source.pk, a.source.name) for a in got] == [
            (a.headline, a.slug, a.published_at, a.source.pk, a.source.name) for a, _ in expected
        ]
        compared += bool(expected)
    assert compared > 100
    assert browse.RELATED * 10 in calls  # some ties ran past the rows first fetched


def test_article_mentions_are_in_the_order_of_mentions_in_order(time_machine):
    from articles.web.views.browse import article_mentions, mentions_in_order

    time_machine.move_to(NOW, tick=False)
    rng = random.Random(8)
    # Sort names shared by several people (then ordered by name), upper and lower case, accents.
    names = ["Adams", "adams", "Baker", "Ábel", "Zeta", "baker", "O'Neil", "Øster"]
    people_ = [
        PoliticianFactory(name=f"{given} {family}", sort_name=family)
        for family in names
        for given in ("Ann", "bob", "Cy")
    ]
    states = [Mention.State.CONFIRMED] * 4 + [Mention.State.SUGGESTED, Mention.State.REJECTED]
    articles = []
    for _ in range(25):
        article = ArticleFactory(published_at=on(2019, 5, 1))
        for person in rng.sample(people_, rng.randrange(0, 9)):
            MentionFactory(
                article=article,
                politician=person,
                role=rng.choice(Mention.Role.values),
                state=rng.choice(states),
            )
        articles.append(article)
    roles = set()
    for article in articles:
        expected = list(mentions_in_order().filter(article=article))
        got = article_mentions(article)
        assert [m.pk for m in got] == [m.pk for m in expected]
        assert [(m.politician.name, m.party) for m in got] == [
            (m.politician.name, m.party) for m in expected
        ]
        roles |= {m.role for m in got}
    assert roles == set(Mention.Role.values)


def test_party_api_members_equal_their_pages(client, members):
    party, _ = members
    data = client.get(f"/api/parties/{party.slug}/").json()
    memberships = party.memberships.select_related("politician").order_by(
        "politician__sort_name", "politician__name", "start_date", "id"
    )
    assert data["members"] == [
        {
            "politician": {
                "slug": m.politician.slug,
                "name": m.politician.name,
                "url": f"http://testserver{m.politician.get_absolute_url()}",
            },
            "start_date": m.start_date and m.start_date.isoformat(),
            "end_date": m.end_date and m.end_date.isoformat(),
        }
        for m in memberships
    ]
