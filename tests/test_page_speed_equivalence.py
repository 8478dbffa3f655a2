"""The readers' pages' faster queries give what straightforward ones give, on varied data.

The politician's timeline pages (bounded by the mention dates), the party page's members (counted
and sliced in SQL), the home page's counts of the archive's latest twelve months (from the stored
counts), related articles (with ties past the rows first fetched) and the party API's members are
each compared with the obvious computation over all rows. Fragments the pages render in Python:
timeline entries, article cards and party badges, whose markup exists only in those tags, are
pinned to the exact HTML the pages show; the home page's lists, a chart's table, the topic
options and the article page's politicians and related articles are compared with the template
loops they replaced.
"""

import contextlib
import datetime as dt
import random

import pytest
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from articles import derived
from articles.derived.parties import party_of
from articles.models import Article, Mention, PartyMembership
from articles.web import charts, timeline
from articles.web.templatetags.fragment_tags import (
    article_card,
    article_cards,
    article_urls,
    coverage_table_rows,
    current_member_items,
    former_member_items,
    home_covered,
    home_parties,
    mention_items,
    party_article_items,
    party_badge,
    related_items,
    slug_urls,
    timeline_entries,
    timeline_entry,
    topic_options,
)
from articles.web.views import people
from articles.web.views.browse import as_cards
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
    shown = [e.mention.article_id for g in response.context["stream"].groups for e in g.entries]
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


# Fragments rendered in Python --------------------------------------------------------------------

# The loops the pages ran through the template language before their template tags took over.
HOME_COVERED_LOOP = """{% load humanize fragment_tags %}{% for row in covered %}
        <li>
          <a href="{% url 'articles:politician' row.politician__slug %}">{{ row.politician__name }}</a>
          {% party_badge row.party short=True plain=True %}
          <a class="covered-count" href="{{ list_url }}?politician={{ row.politician__slug|urlencode }}&amp;from={{ since_day }}&amp;to={{ newest_day }}">{{ row.n|intcomma }} article{{ row.n|pluralize }}</a>
        </li>
        {% endfor %}"""  # noqa: E501
HOME_PARTIES_LOOP = """{% load humanize fragment_tags %}{% for party in parties %}
        <li>{% party_badge party %}
          {% if party.coverage %}<a class="covered-count" href="{{ list_url }}?party={{ party.slug|urlencode }}&amp;from={{ since_day }}&amp;to={{ newest_day }}">{{ party.coverage|intcomma }} in 30 days</a>{% endif %}</li>
        {% endfor %}"""  # noqa: E501
TABLE_ROWS_LOOP = """{% for row in chart.rows %}<tr><th scope="row">{{ row.year|stringformat:"d" }}</th>{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}<td>{{ row.total|stringformat:"d" }}</td></tr>
          {% endfor %}"""  # noqa: E501
TOPIC_OPTIONS_LOOP = """{% for topic in topics %}<option value="{{ topic.slug }}"{% if topic == chosen %} selected{% endif %}>{{ topic.name }}</option>{% endfor %}"""  # noqa: E501
MENTION_ITEMS_LOOP = """{% load fragment_tags %}{% for mention in mentions %}
        <li class="mention">
          <a class="mention-name" href="{{ mention.politician.get_absolute_url }}">{{ mention.politician.name }}</a>
          <span class="mention-role">{{ mention.get_role_display }}</span>
          {% party_badge mention.party %}
          <a class="more-link" href="{% url 'articles:list' %}?politician={{ mention.politician.slug|urlencode }}">More on {{ mention.politician.name }}</a>
        </li>
        {% endfor %}"""  # noqa: E501
RELATED_ITEMS_LOOP = """{% load archive_tags %}{% for other in related %}
        <li><a href="{{ other.get_absolute_url }}">{{ other.headline }}</a>
          <span class="related-meta"><time datetime="{{ other.published_at|date:'c' }}">{{ other.published_at|archive_date }}</time> · {{ other.source.name }}</span></li>
        {% endfor %}"""  # noqa: E501


def render_loop(source, **context):
    return Template(source).render(Context(context))


@pytest.fixture
def awkward(time_machine):
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
        person = PoliticianFactory(name=f"O'Brien <{i}> & Co", slug=f"o-brien_{i}")
        if i < 6:
            MembershipFactory(politician=person, party=parties[i % 3], start_date=D(2010, 1, 1))
        people_.append(person)
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
        for person in people_[: [1, 6, 2, 7, 0][i % 5]]:
            MentionFactory(article=article, politician=person, role=Mention.Role.values[i % 3])
    early = ArticleFactory(
        headline="Before <any> party & “all”", published_at=on(2003, 5, 5), source=sources[0]
    )
    MentionFactory(article=early, politician=people_[0])
    return people_, parties


# The markup only the fragment tags render, as the pages showed it when templates rendered it.

FOUR_PEOPLE = (
    "<li>"
    '<a href="/politicians/o-brien_0/">O&#x27;Brien &lt;0&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
    "</span>\n"
    "</li><li>"
    '<a href="/politicians/o-brien_1/">O&#x27;Brien &lt;1&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #767676; --party-fg: #ffffff">No Short '
    "Name</span>\n"
    "</li><li>"
    '<a href="/politicians/o-brien_2/">O&#x27;Brien &lt;2&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #FFFF00; --party-fg: #000000">'
    '<span aria-hidden="true">Brt</span><span class="visually-hidden">Bright</span>'
    "</span>\n"
    "</li><li>"
    '<a href="/politicians/o-brien_3/">O&#x27;Brien &lt;3&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
    "</span>\n"
    "</li>"
)

CARD_NO_PEOPLE = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2017/05/13/headline-b4b-quotes-economy/">Headline '
    "&lt;b&gt;4&lt;/b&gt; &amp; “quotes” &#x27;economy&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2017-05-13T12:00:00+01:00">13 May 2017</time> · Times &amp; '
    "&lt;Co&gt;</p>\n"
    '  <p class="card-text">A short &lt;standfirst&gt; &amp; more economy.</p>\n'
    "  \n"
    "</article>\n"
)

CARD_LONG_STANDFIRST = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2018/03/07/headline-b2b-quotes-economy/">Headline '
    "&lt;b&gt;2&lt;/b&gt; &amp; “quotes” &#x27;economy&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2018-03-07T23:00:00+00:00">7 March 2018</time> · Times &amp; '
    "&lt;Co&gt;</p>\n"
    '  <p class="card-text">word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 '
    "word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 "
    "word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 "
    "word34 word35 word36 word37 word38 word39 word40 …</p>\n"
    "  \n"
    '  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    <li>"
    '<a href="/politicians/o-brien_0/">O&#x27;Brien &lt;0&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
    "</span>\n"
    "</li><li>"
    '<a href="/politicians/o-brien_1/">O&#x27;Brien &lt;1&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #767676; --party-fg: #ffffff">No Short '
    "Name</span>\n"
    "</li>\n"
    "    \n"
    "  </ul>\n"
    "  \n"
    "</article>\n"
)

CARD_SEVEN_PEOPLE = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2016/04/10/headline-b3b-quotes-economy/">Headline '
    "&lt;b&gt;3&lt;/b&gt; &amp; “quotes” &#x27;economy&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2016-04-10T00:00:00+01:00">10 April 2016</time> · The '
    "&quot;Daily&quot; &#x27;Post&#x27;</p>\n"
    '  <p class="card-text">The economy &amp; &lt;things&gt;.</p>\n'  # no standfirst: the body's
    "  \n"
    '  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    "
    + FOUR_PEOPLE
    + ('\n    <li class="card-more">and 3 more</li>\n  </ul>\n  \n</article>\n')
)

CARD_SEARCHED = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2017/02/04/headline-b1b-quotes-economy/">Headline '
    "&lt;b&gt;1&lt;/b&gt; &amp; “quotes” &#x27;<mark>economy</mark>&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2017-02-04T12:00:00+00:00">4 February 2017</time> · The '
    "&quot;Daily&quot; &#x27;Post&#x27;</p>\n"
    '  <p class="card-text">A short &lt;standfirst&gt; &amp; more '
    "<mark>economy</mark>.</p>\n"
    "  \n"
    '  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    "
    + FOUR_PEOPLE
    + ('\n    <li class="card-more">and 2 more</li>\n  </ul>\n  \n</article>\n')
)

CARD_SEARCHED_FOR_MARKUP = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2016/01/01/headline-b0b-quotes-economy/">Headline '
    "&lt;<mark>b</mark>&gt;0&lt;/<mark>b</mark>&gt; &amp; “quotes” &#x27;economy&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2016-01-01T00:00:00+00:00">1 January 2016</time> · Times &amp; '
    "&lt;Co&gt;</p>\n"
    '  <p class="card-text">The economy &amp; &lt;things&gt;.</p>\n'
    "  \n"
    '  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    <li>"
    '<a href="/politicians/o-brien_0/">O&#x27;Brien &lt;0&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
    "</span>\n"
    "</li>\n"
    "    \n"
    "  </ul>\n"
    "  \n"
    "</article>\n"
)

CARD_SEARCHED_WITH_EXCLUSION = (
    '<article class="card">\n'
    '  <h3 class="card-title">'
    '<a href="/articles/2018/03/07/headline-b2b-quotes-economy/">Headline '
    "&lt;b&gt;2&lt;/b&gt; &amp; “<mark>quotes</mark>” &#x27;economy&#x27;</a></h3>\n"
    '  <p class="card-meta">'
    '<time datetime="2018-03-07T23:00:00+00:00">7 March 2018</time> · Times &amp; '
    "&lt;Co&gt;</p>\n"
    '  <p class="card-text">word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 '
    "word10 word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 "
    "word22 word23 word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 "
    "word34 …</p>\n"
    "  \n"
    '  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    <li>"
    '<a href="/politicians/o-brien_0/">O&#x27;Brien &lt;0&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
    "</span>\n"
    "</li><li>"
    '<a href="/politicians/o-brien_1/">O&#x27;Brien &lt;1&gt; &amp; Co</a> <span '
    'class="party-badge" style="--party-bg: #767676; --party-fg: #ffffff">No Short '
    "Name</span>\n"
    "</li>\n"
    "    \n"
    "  </ul>\n"
    "  \n"
    "</article>\n"
)

ENTRY_ARTICLE = (
    "\n"
    '<li class="tl-entry tl-article">\n'
    '  <time datetime="2018-06-16T23:00:00+01:00">16 Jun 2018</time>\n'
    '  <div class="tl-body">\n'
    '    <a class="tl-headline" '
    'href="/articles/2018/06/16/headline-b5b-quotes-economy/">Headline '
    "&lt;b&gt;5&lt;/b&gt; &amp; “quotes” &#x27;economy&#x27;</a>\n"
    '    <p class="tl-summary">' + " ".join(f"word{i}" for i in range(41)) + " …</p>\n"
    '    <p class="tl-meta">\n'
    '      <span class="tl-role tl-role--mentioned">Mentioned</span>\n'
    '      <a class="party-badge" href="/parties/rock-roll-party/" '
    'style="--party-bg: #123abc; --party-fg: #ffffff" title="Rock &amp; &quot;Roll&quot; '
    '&lt;Party&gt;">R&amp;R</a>\n'
    '      <span class="tl-source">The &quot;Daily&quot; &#x27;Post&#x27;</span>\n'
    "    </p>\n"
    "  </div>\n"
    "</li>\n"
    "\n"
)

ENTRY_ARTICLE_NO_PARTY = (
    "\n"
    '<li class="tl-entry tl-article">\n'
    '  <time datetime="2003-05-05T12:00:00+01:00">5 May 2003</time>\n'
    '  <div class="tl-body">\n'
    '    <a class="tl-headline" href="/articles/2003/05/05/before-any-party-all/">Before '
    "&lt;any&gt; party &amp; “all”</a>\n"
    '    <p class="tl-summary">First paragraph.</p>\n'  # no standfirst: the body's first sentence
    '    <p class="tl-meta">\n'
    '      <span class="tl-role tl-role--mentioned">Mentioned</span>\n'
    '      <span class="party-badge party-badge--none">No party</span>\n'
    '      <span class="tl-source">Times &amp; &lt;Co&gt;</span>\n'
    "    </p>\n"
    "  </div>\n"
    "</li>\n"
    "\n"
)

ENTRY_JOINED = (
    "\n"
    '<li class="tl-entry tl-event tl-event--joined" style="border-left-color: #123abc">\n'
    '  <time datetime="2010-01-01">1 Jan 2010</time>\n'
    '  <div class="tl-body">'
    '<strong>Joined R&amp;R</strong> <a href="/parties/rock-roll-party/" '
    'class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
    '<span aria-hidden="true">R&amp;R</span>'
    '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span></a>\n'
    "</div>\n"
    "</li>\n"
    "\n"
)

ENTRY_LEFT = (
    "\n"
    '<li class="tl-entry tl-event tl-event--left" style="border-left-color: #767676">\n'
    '  <time datetime="2009-12-31">31 Dec 2009</time>\n'
    '  <div class="tl-body">'
    '<strong>Left No Short Name</strong> <a href="/parties/no-short-name/" '
    'class="party-badge" style="--party-bg: #767676; --party-fg: #ffffff">No Short '
    "Name</a>\n"
    "</div>\n"
    "</li>\n"
    "\n"
)

ENTRY_ROLE_START = (
    "\n"
    '<li class="tl-entry tl-event tl-event--role-start">\n'
    '  <time datetime="2010-05-11">11 May 2010</time>\n'
    '  <div class="tl-body"><strong>Became Minister &lt;for&gt; Things (A &amp; B)</strong>'
    "</div>\n"
    "</li>\n"
    "\n"
)

ENTRY_ROLE_END = (
    "\n"
    '<li class="tl-entry tl-event tl-event--role-end">\n'
    '  <time datetime="2016-01-01">1 Jan 2016</time>\n'
    '  <div class="tl-body"><strong>Ceased to be Chair</strong></div>\n'
    "</li>\n"
    "\n"
)

BADGES = [
    (
        'Rock & "Roll" <Party>',
        False,
        False,
        '<a href="/parties/rock-roll-party/" class="party-badge" style="--party-bg: '
        '#123abc; --party-fg: #ffffff">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</a>\n',
    ),
    (
        'Rock & "Roll" <Party>',
        False,
        True,
        '<span class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">Rock '
        "&amp; &quot;Roll&quot; &lt;Party&gt;</span>\n",
    ),
    (
        'Rock & "Roll" <Party>',
        True,
        False,
        '<a href="/parties/rock-roll-party/" class="party-badge" style="--party-bg: '
        '#123abc; --party-fg: #ffffff"><span aria-hidden="true">R&amp;R</span>'
        '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
        "</a>\n",
    ),
    (
        'Rock & "Roll" <Party>',
        True,
        True,
        '<span class="party-badge" style="--party-bg: #123abc; --party-fg: #ffffff">'
        '<span aria-hidden="true">R&amp;R</span>'
        '<span class="visually-hidden">Rock &amp; &quot;Roll&quot; &lt;Party&gt;</span>'
        "</span>\n",
    ),
    (
        "No Short Name",
        True,
        False,
        '<a href="/parties/no-short-name/" class="party-badge" style="--party-bg: #767676; '
        '--party-fg: #ffffff">No Short Name</a>\n',
    ),
    (
        "Bright",
        True,
        True,
        '<span class="party-badge" style="--party-bg: #FFFF00; --party-fg: #000000">'
        '<span aria-hidden="true">Brt</span><span class="visually-hidden">Bright</span>'
        "</span>\n",
    ),
    (
        "Plain <Party>",
        True,
        False,
        '<a href="/parties/plain-party/" class="party-badge" style="--party-bg: #767676; '
        '--party-fg: #ffffff">Plain &lt;Party&gt;</a>\n',
    ),
    (
        "Plain <Party>",
        False,
        True,
        '<span class="party-badge" style="--party-bg: #767676; --party-fg: #ffffff">Plain '
        "&lt;Party&gt;</span>\n",
    ),
    (
        None,
        True,
        False,
        '<span class="party-badge party-badge--none">Independent / no party</span>\n',
    ),
]


@pytest.mark.parametrize(("name", "short", "plain", "expected"), BADGES)
def test_party_badges_render_their_markup(awkward, name, short, plain, expected):
    parties = [*awkward[1], PartyFactory(name="Plain <Party>", short_name="", colour="")]
    party = {p.name: p for p in parties}[name] if name else None
    assert party_badge(party, short=short, plain=plain) == expected
    # As the politician pages use it.
    source = "{% load fragment_tags %}{% party_badge party short=short plain=plain %}"
    assert render_loop(source, party=party, short=short, plain=plain) == expected
    if party is None:
        for short_, plain_ in [(False, False), (False, True), (True, True)]:
            assert party_badge(None, short=short_, plain=plain_) == expected
    elif not plain:
        assert party_badge(party, short=short, url=party.get_absolute_url()) == expected
        given = party_badge(party, short=short, url='/p?a=1&b="<2>"')
        assert given == expected.replace(
            party.get_absolute_url(), "/p?a=1&amp;b=&quot;&lt;2&gt;&quot;"
        )


def test_article_cards_render_their_markup(awkward):
    articles = list(as_cards(Article.objects.published(NOW)))
    assert {len(a.public_mentions) for a in articles} >= {0, 1, 2, 6, 7}
    numbered = {a.headline: a for a in articles}
    urls = {"article_url": article_urls(), "politician_url": slug_urls("articles:politician")}
    for number, q, expected in [
        (4, "", CARD_NO_PEOPLE),
        (2, "", CARD_LONG_STANDFIRST),
        (3, "", CARD_SEVEN_PEOPLE),
        (1, "economy", CARD_SEARCHED),
        (0, "<b>", CARD_SEARCHED_FOR_MARKUP),
        (2, "quotes -word1", CARD_SEARCHED_WITH_EXCLUSION),
    ]:
        article = numbered[f"Headline <b>{number}</b> & “quotes” 'economy'"]
        assert article_card(article, q, **urls) == expected
        assert article_cards([article], q) == f"<li>{expected}</li>"
    for q in ("", "economy", "quotes -word1", "<b>"):
        assert article_cards(articles, q) == "".join(
            f"<li>{article_card(a, q, **urls)}</li>" for a in articles
        )


def test_timeline_entries_render_their_markup(awkward):
    person = awkward[0][0]
    memberships = list(person.memberships.select_related("party"))
    events = timeline.career_events(memberships, list(person.roles.all()), today=NOW.date())
    rows = list(timeline._entry_rows(timeline.public_mentions(person, now=NOW)))
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
        for found, expected in [
            (entry("article", "Headline <b>5</b> & “quotes” 'economy'"), ENTRY_ARTICLE),
            (entry("article", "Before <any> party & “all”"), ENTRY_ARTICLE_NO_PARTY),
            (entry("joined", "Joined R&R"), ENTRY_JOINED),
            (entry("left", "Left No Short Name"), ENTRY_LEFT),
            (entry("role-start", "Became Minister <for> Things (A & B)"), ENTRY_ROLE_START),
            (entry("role-end", "Ceased to be Chair"), ENTRY_ROLE_END),
        ]:
            assert timeline_entry(found, article_url=article_url) == expected
        for newest_first in (True, False):
            for group in timeline.merge(rows, events, newest_first=newest_first):
                assert timeline_entries(group.entries) == "".join(
                    timeline_entry(e, article_url=article_url) for e in group.entries
                )


def test_home_lists_equal_their_template_loops(awkward):
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
    window = {"list_url": "/articles/?x=<&>", "since_day": "2020-01-01", "newest_day": "2020-01-30"}
    assert home_covered(covered, *window.values()) == render_loop(
        HOME_COVERED_LOOP, covered=covered, **window
    )
    assert home_parties(parties, *window.values()) == render_loop(
        HOME_PARTIES_LOOP, parties=parties, **window
    )


def test_chart_table_and_topic_options_equal_their_template_loops(awkward):
    chart = charts.coverage_chart(
        {D(2014, 3, 1): 5, D(2016, 1, 1): 1200, D(2016, 7, 1): 0},
        charts.Axis(D(2014, 2, 1), D(2016, 8, 1)),
    )
    assert coverage_table_rows(chart) == render_loop(TABLE_ROWS_LOOP, chart=chart)
    topics = [TopicFactory(name="Tax & <Spend>"), TopicFactory(name='"Health"'), TopicFactory()]
    for chosen in (None, topics[1]):
        assert topic_options(topics, chosen) == render_loop(
            TOPIC_OPTIONS_LOOP, topics=topics, chosen=chosen
        )


def test_article_page_lists_equal_their_template_loops(awkward):
    from articles.web.views.browse import mentions_in_order, related_articles

    odd = PoliticianFactory(name="Zoë <Ünïcode> & “Co”", slug="zoe-unicode")
    articles = list(Article.objects.published(NOW).select_related("source"))
    MentionFactory(article=articles[0], politician=odd, role=Mention.Role.QUOTED)
    list_url = reverse("articles:list")
    shown = 0
    for article in articles:
        mentions = list(mentions_in_order().filter(article=article))
        assert mention_items(mentions, list_url) == render_loop(
            MENTION_ITEMS_LOOP, mentions=mentions
        )
        shown += len(mentions)
        related = related_articles(article, [m.politician_id for m in mentions])
        assert related_items(related) == render_loop(RELATED_ITEMS_LOOP, related=related)
    assert shown > 10
    assert related_items(articles) == render_loop(RELATED_ITEMS_LOOP, related=articles)


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


def _facet_options_with_format_html(facet):
    """The facet options as format_html builds them: the reference for ``facet_options``."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    from articles.web.templatetags.archive_tags import css_colour

    def option(o):
        swatch = (
            format_html(
                '<span class="swatch" style="--swatch: {}" aria-hidden="true"></span>',
                css_colour(o.party.colour),
            )
            if o.party
            else ""
        )
        if o.selected:
            tick = mark_safe(
                '<span class="facet-tick" aria-hidden="true">✓</span>'
                '<span class="visually-hidden"> (selected; remove)</span>'
            )
            return (
                o.url,
                mark_safe(' class="is-selected" aria-current="true"'),
                swatch,
                o.label,
                tick,
            )
        count = format_html(
            '<span class="facet-count"><span class="visually-hidden">: </span>{}{}'
            '<span class="visually-hidden"> article{}</span></span>',
            "about " if o.estimate else "",
            intcomma(o.count),
            "" if o.count == 1 else "s",
        )
        return (o.url, "", swatch, o.label, count)

    return format_html_join(
        "\n",
        '<li><a href="{}" rel="nofollow"{}>{}<span class="facet-label">{}</span> {}</a></li>',
        (option(o) for o in facet.options),
    )


@pytest.mark.parametrize(
    "query",
    ["", "party=r-r&q=%3Cb%3E+%26+%22x%22", "politician=o-brien_0&year=2016&month=1", "year=2017"],
)
def test_facet_options_equal_format_html(awkward, settings, query):
    from django.http import QueryDict

    from articles.facets.counting import Facet, Option, facet_counts
    from articles.facets.filters import ArticleFilter
    from articles.web.templatetags.facet_tags import facet_options

    awkward[1][0].slug = "r-r"
    awkward[1][0].save()
    filterset = ArticleFilter(QueryDict(query))
    assert filterset.is_valid(), filterset.errors
    facets = facet_counts(filterset).facets
    # Large, estimated and fractional figures as well as those the archive gives.
    party = awkward[1][0]
    facets.append(
        Facet(
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
    )
    assert [len(f.options) for f in facets if f.options]
    for facet in facets:
        assert facet_options(facet) == _facet_options_with_format_html(facet)


# The party page's lists ------------------------------------------------------------------------

PARTY_ARTICLES_LOOP = """{% load archive_tags %}{% for article in latest %}<li class="tl-entry tl-article">
          <time datetime="{{ article.published_at|date:'c' }}">{{ article.published_at|day_month_year }}</time>
          <div class="tl-body">
            <a class="tl-headline" href="{{ article.get_absolute_url }}">{{ article.headline }}</a>
{% if article|summary %}            <p class="tl-summary">{{ article|summary }}</p>
{% endif %}            <p class="tl-meta"><span class="tl-source">{{ article.source.name }}</span>{% for mention in article.party_mentions %} · <a href="{{ mention.politician.get_absolute_url }}">{{ mention.politician.name }}</a>{% endfor %}</p>
          </div>
        </li>
        {% endfor %}"""  # noqa: E501
CURRENT_MEMBERS_LOOP = """{% load archive_tags %}{% for m in current_members %}<li><a href="{{ m.politician.get_absolute_url }}">{{ m.politician.name }}</a> <span class="party-period">since {% if m.start_date %}{{ m.start_date|day_month_year }}{% else %}an unknown date{% endif %}</span></li>
      {% endfor %}"""  # noqa: E501
FORMER_MEMBERS_LOOP = """{% load archive_tags %}{% for f in former_members %}<li><a href="{{ f.politician.get_absolute_url }}">{{ f.politician.name }}</a> <span class="party-period">{% for m in f.spells %}{% if m.start_date %}{{ m.start_date|day_month_year }}{% else %}?{% endif %} – {% if m.end_date %}{{ m.end_date|day_month_year }}{% else %}?{% endif %}{% if not forloop.last %}; {% endif %}{% endfor %}</span></li>
      {% endfor %}"""  # noqa: E501


@pytest.fixture
def party_awkward(awkward):
    """The ``awkward`` people's first party with members who joined on an unknown date or on the
    same day, who left twice, whose spells begin or end on unknown dates or lie ahead, and
    articles published just after midnight and just before it naming several members."""
    people_, parties = awkward
    party = parties[0]
    undated = PoliticianFactory(name="Ünïcode <Undated> & “Co”", slug="undated")
    MembershipFactory(politician=undated, party=party, start_date=None)
    twice = PoliticianFactory(name="Twice & <Left>", slug="twice")
    MembershipFactory(politician=twice, party=party, start_date=None, end_date=D(2003, 3, 3))
    MembershipFactory(
        politician=twice, party=party, start_date=D(2005, 5, 5), end_date=D(2011, 9, 30)
    )
    MembershipFactory(politician=twice, party=parties[1], start_date=D(2012, 1, 1))
    returning = PoliticianFactory(name='"Returning" <One>', slug="returning")
    MembershipFactory(
        politician=returning, party=party, start_date=D(1990, 1, 1), end_date=D(1995, 12, 31)
    )
    MembershipFactory(politician=returning, party=party, start_date=D(2090, 1, 1))
    MembershipFactory(politician=people_[6], party=party, start_date=D(2010, 1, 1))
    once = PoliticianFactory(name="Left <Once>", slug="left-once")
    MembershipFactory(
        politician=once, party=party, start_date=D(2001, 2, 3), end_date=D(2019, 1, 1)
    )
    for hour, day in [(0, 1), (23, 31), (12, 15)]:
        article = ArticleFactory(
            headline=f"Party <{hour}> & “{day}”",
            published_at=on(2019, 3 if day != 15 else 10, day, hour),
            source=SourceFactory(name="Times & <Co>"),
        )
        for person in [people_[0], undated, people_[3], people_[6]][: 1 + hour % 4]:
            MentionFactory(article=article, politician=person)
    return party


def test_party_page_lists_equal_their_template_loops(party_awkward):
    party = party_awkward
    current, _ = people._current_members(party, NOW.date(), 100)
    former, _ = people._former_members(party, NOW.date(), 100)
    latest = people._latest_articles(party, 20)
    assert None in {m.start_date for m in current} and len(current) >= 4
    assert {len(f["spells"]) for f in former} >= {1, 2}
    assert {len(a.party_mentions) for a in latest} >= {1, 2, 4}
    lists = [
        (current_member_items, CURRENT_MEMBERS_LOOP, "current_members", current),
        (former_member_items, FORMER_MEMBERS_LOOP, "former_members", former),
        (party_article_items, PARTY_ARTICLES_LOOP, "latest", latest),
    ]
    for tag, loop, name, rows in lists:
        assert tag(rows) == render_loop(loop, **{name: rows}), name
        assert tag(rows[:1]) == render_loop(loop, **{name: rows[:1]}), name
        assert tag([]) == render_loop(loop, **{name: []}) == ""
    html = former_member_items(former) + current_member_items(current)
    for text in [
        "? – 3 Mar 2003",  # first or last: databases sort the unknown date differently
        "5 May 2005 – 30 Sep 2011",
        ">1 Jan 1990 – 31 Dec 1995; 1 Jan 2090 – ?<",
        "since an unknown date",
    ]:
        assert text in html

    # Rows the database does not give: a spell with no dates at all, a member twice in an
    # article, several members who joined on the same day (dates formatted once each).
    person, other = current[0].politician, current[-1].politician
    same_day = [people.Member(p, D(2001, 2, 3)) for p in (person, other, person)]
    assert current_member_items(same_day) == render_loop(
        CURRENT_MEMBERS_LOOP, current_members=same_day
    )
    spells = [PartyMembership(start_date=None, end_date=None)] * 2
    spells.append(PartyMembership(start_date=D(2001, 2, 3), end_date=D(2001, 2, 3)))
    rows = [{"politician": person, "spells": spells}, {"politician": other, "spells": spells[2:]}]
    assert former_member_items(rows) == render_loop(FORMER_MEMBERS_LOOP, former_members=rows)
    article = latest[0]
    article.party_mentions = [*article.party_mentions, article.party_mentions[0]]
    assert party_article_items([article]) == render_loop(PARTY_ARTICLES_LOOP, latest=[article])


def test_party_page_shows_its_lists_as_the_template_loops_did(client, party_awkward):
    response = client.get(party_awkward.get_absolute_url())
    assert response.status_code == 200
    page, context = response.content.decode(), response.context
    members = ('<ul class="member-list">\n      ', "\n    </ul>")
    for (opening, closing), loop, name in [
        (('<ol class="tl-entries">\n        ', "\n      </ol>"), PARTY_ARTICLES_LOOP, "latest"),
        (members, CURRENT_MEMBERS_LOOP, "current_members"),
        (members, FORMER_MEMBERS_LOOP, "former_members"),
    ]:
        assert context[name]
        assert opening + render_loop(loop, **{name: context[name]}) + closing in page, name
