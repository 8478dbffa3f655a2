"""A politician's record as one stream: articles, party changes and posts, grouped by year.

Every query here is grouped or bounded, so a page costs the same for a politician with ten
articles as for one with a hundred thousand: counts per month and per year come from one grouped
query each over ``Mention`` (indexed by politician and date), and the articles shown are one
year's slice, paged inside the year when the year itself is long.
"""

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear, Substr, TruncMonth
from django.utils import timezone

from articles.derived import counts as article_counts
from articles.io.exports.common import BODY_START_CHARS
from articles.models import Article, ArticleCount, ArticleTopic, Mention, Politician

from .charts import day_label

PAGE_SIZE = 50

# Within one moment, joining comes before an article and leaving after it.
_RANK = {"joined": 0, "role-start": 0, "article": 1, "left": 2, "role-end": 2}


# Words that make a party's name a common noun phrase, read with "the": "the Labour Party".
_NAME_NOUNS = {"party", "alliance", "coalition", "federation", "front", "group", "league"}
_NAME_NOUNS |= {"movement", "network", "union"}


def party_phrase(party):
    """The party's full name as it reads after "Joined"/"Left": "the Liberal Democrats",
    "the UK Independence Party", "Plaid Cymru".

    Names that are plural ("Liberal Democrats", "Scottish Greens") or built on a noun such as
    "Party" or "Alliance" take "the"; proper names ("Plaid Cymru", "Reform UK") read bare.
    """
    name = " ".join(party.name.split())
    if name.lower().startswith("the "):
        return name
    words = re.findall(r"[^\W\d_]+", name.lower())
    if words and (words[-1].endswith("s") or _NAME_NOUNS.intersection(words)):
        return f"the {name}"
    return name


def post_name(role):
    """The post as a line reads it: "Chief Whip (HM Government)", or the title alone when it
    already names its organisation ("Leader of the Labour Party", not "… (Labour Party)")."""
    title = " ".join(role.title.split())
    organisation = " ".join((role.organisation or "").split())
    if not organisation or organisation.casefold() in title.casefold():
        return title
    return f"{title} ({organisation})"


def _start_of(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end_of(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: an article or a change in the politician's career."""

    kind: str  # article, joined, left, role-start, role-end
    at: dt.datetime
    text: str = ""
    mention: Mention | None = None
    party: object = None

    @cached_property
    def on(self):
        return timezone.localdate(self.at)

    @property
    def date_label(self):
        """ "28 Jun 2016": formatted here, as a timeline renders hundreds of them."""
        return day_label(self.on)

    @property
    def iso(self):
        """The machine-readable date or date-time for ``<time datetime>``."""
        if self.is_article:
            return timezone.localtime(self.at).isoformat()
        return self.on.isoformat()

    @property
    def is_article(self):
        return self.kind == "article"

    @property
    def key(self):
        return (self.at, _RANK[self.kind], self.mention.article_id if self.mention else 0)


def article_entry(mention):
    return Entry(
        kind="article", at=mention.article.published_at, mention=mention, party=mention.party
    )


def career_events(memberships, roles, *, today):
    """Party changes and posts begun or ended, up to ``today`` (undated ones cannot be placed)."""
    events = []
    for m in memberships:
        phrase = party_phrase(m.party)
        if m.start_date and m.start_date <= today:
            events.append(
                Entry("joined", _start_of(m.start_date), f"Joined {phrase}", party=m.party)
            )
        if m.end_date and m.end_date < today:
            events.append(Entry("left", _end_of(m.end_date), f"Left {phrase}", party=m.party))
    for role in roles:
        post = post_name(role)
        if role.start_date and role.start_date <= today:
            events.append(Entry("role-start", _start_of(role.start_date), f"Became {post}"))
        if role.end_date and role.end_date < today:
            events.append(Entry("role-end", _end_of(role.end_date), f"Ceased to be {post}"))
    return events


@dataclass(frozen=True)
class YearGroup:
    year: int
    entries: list

    @property
    def article_count(self):
        return sum(1 for e in self.entries if e.is_article)


def merge(articles, events, *, newest_first=True):
    """One stream of ``articles`` (Mention rows) and ``events``, grouped by year."""
    entries = [article_entry(m) for m in articles] + list(events)
    entries.sort(key=lambda e: e.key, reverse=newest_first)
    return [
        YearGroup(year=year, entries=list(group))
        for year, group in itertools.groupby(entries, key=lambda e: e.on.year)
    ]


# Queries -------------------------------------------------------------------------------------


def hidden_articles(now=None):
    """Articles readers cannot see (yet): not published, or dated in the future."""
    now = now or timezone.now()
    unpublished = [s for s in Article.Status.values if s != Article.Status.PUBLISHED]
    return Article.objects.filter(Q(status__in=unpublished) | Q(published_at__gt=now))


def visible_mentions(now=None):
    """The same rows as ``Mention.objects.public(now)``, without joining the article table.

    Hidden articles are few, so the database keeps their ids in a hash and tests each mention
    against it: counting a politician's mentions then reads only the mention index range, which
    matters for someone with a hundred thousand articles.
    """
    return Mention.objects.confirmed().exclude(article__in=hidden_articles(now))


def public_mentions(politician, *, topic=None, role=None, with_politician=None, now=None):
    """The politician's confirmed mentions in public articles, optionally narrowed."""
    mentions = visible_mentions(now).filter(politician=politician)
    if role:
        mentions = mentions.filter(role=role)
    if topic:
        mentions = mentions.filter(
            Exists(ArticleTopic.objects.filter(article=OuterRef("article"), topic=topic))
        )
    if with_politician:
        mentions = mentions.filter(
            Exists(
                Mention.objects.confirmed().filter(
                    article=OuterRef("article"), politician=with_politician
                )
            )
        )
    return mentions


def monthly_counts(mentions):
    """{first day of month: number of articles}, one grouped query."""
    rows = (
        mentions.annotate(month=TruncMonth("published_on"))
        .order_by("month")
        .values("month")
        .annotate(n=Count("id"))
    )
    result = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        result[month] = row["n"]
    return result


def yearly_counts(mentions):
    """{year: number of articles}, one grouped query."""
    rows = (
        mentions.annotate(year=ExtractYear("published_on"))
        .order_by("year")
        .values("year")
        .annotate(n=Count("id"))
    )
    return {row["year"]: row["n"] for row in rows}


def _stored_months(dimension, key, now):
    counts = article_counts.monthly(dimension, key, now=now)
    return {dt.date(y, m, 1): counts[(y, m)] for y, m in sorted(counts)}


def politician_monthly_counts(politician, *, now=None):
    """{first day of month: public articles mentioning ``politician``}, from the stored counts.

    The same figures as ``monthly_counts(public_mentions(politician))``, read from the rows the
    model layer keeps instead of counting every mention of the politician.
    """
    return _stored_months(ArticleCount.Dimension.POLITICIAN, politician.pk, now)


def party_monthly_counts(party, *, now=None):
    """{first day of month: public articles mentioning a member of ``party`` then}.

    Read from the stored counts, like ``politician_monthly_counts``.
    """
    return _stored_months(ArticleCount.Dimension.PARTY, party.pk, now)


def years_from_months(counts):
    years = {}
    for month, n in counts.items():
        years[month.year] = years.get(month.year, 0) + n
    return years


CO_MENTION_WINDOW = 1000


def co_mentioned(politician, *, year=None, limit=10, now=None, window=None):
    """Politicians most often confirmed in the same public articles (in ``year``, if given).

    Counted over the politician's latest ``window`` public articles (all of them for most
    people), so that the cost stays the same for someone with a hundred thousand articles; the
    page says so when the window leaves articles out. Each row: the other politician's slug, name
    and sort name, and ``n``, the number of those articles they share.
    """
    shared = visible_mentions(now).filter(politician=politician)
    if year is not None:
        shared = shared.filter(
            published_on__gte=dt.date(year, 1, 1), published_on__lte=dt.date(year, 12, 31)
        )
    window = window or CO_MENTION_WINDOW
    latest = shared.order_by("-published_on", "-article_id").values("article")[:window]
    # Those articles are public, so their other confirmed mentions need no visibility test; and
    # grouped by the politician's key, they are counted from the mention index alone.
    return list(
        Politician.objects.filter(
            mentions__state=Mention.State.CONFIRMED, mentions__article__in=latest
        )
        .exclude(pk=politician.pk)
        .annotate(n=Count("*"))
        .values(
            "n",
            politician__slug=F("slug"),
            politician__name=F("name"),
            politician__sort_name=F("sort_name"),
        )
        .order_by("-n", "sort_name", "slug")[:limit]
    )


def _entry_rows(mentions):
    """Mentions with what a timeline entry shows: the article's headline, date, source and what
    its summary needs (the standfirst, and the opening of the body as ``article_body_start``)."""
    unused = ("body", "search_vector", "url", "byline", "created_at", "updated_at")
    return (
        mentions.select_related("article__source", "party")
        .defer(*(f"article__{name}" for name in unused))
        .annotate(article_body_start=Substr("article__body", 1, BODY_START_CHARS))
    )


def _rows_in_order(mentions, order, start, stop, *, bounded):
    """``mentions`` ordered by ``order`` (the article's time), rows ``start`` to ``stop``.

    With ``bounded`` (``mentions`` limited to dated mentions, e.g. one year), only the days those
    rows fall on are joined to their articles and ordered exactly, not every article of a busy
    year: the mention's date is the article's date, so it orders like the article's time and the
    rows lie between the dates at ``start`` and ``stop``, which the mention index gives. One
    query: the bounding dates, and the number of rows before the first of those days, are
    subqueries.
    """
    if not bounded or stop <= start:
        return list(_entry_rows(mentions).order_by(*order)[start:stop])
    newest_first = order[0].startswith("-")
    days = mentions.order_by("-published_on" if newest_first else "published_on")
    days = days.values("published_on")
    first = Subquery(days[start : start + 1])
    last = Coalesce(  # the year may end before ``stop``
        Subquery(days[stop - 1 : stop]),
        Value(dt.date.min if newest_first else dt.date.max),
        output_field=DateField(),
    )
    if newest_first:
        window = mentions.filter(published_on__gte=last, published_on__lte=first)
        earlier = mentions.filter(published_on__gt=first)
    else:
        window = mentions.filter(published_on__gte=first, published_on__lte=last)
        earlier = mentions.filter(published_on__lt=first)
    before = Subquery(earlier.order_by().annotate(n=Func("pk", function="COUNT")).values("n"))
    # The same order, led by the indexed date: the rows are read in order, not all sorted.
    by_day = ("-published_on",) if newest_first else ("published_on",)
    rows = list(_entry_rows(window).annotate(before=before).order_by(*by_day, *order)[:stop])
    skip = start - rows[0].before if rows else 0
    return rows[skip : skip + stop - start]


def _share_parties(mentions):
    """One object per party among ``mentions``, its page's address (``url``) found once."""
    parties = {}
    for mention in mentions:
        if mention.party_id is not None:
            if mention.party_id not in parties:
                mention.party.url = mention.party.get_absolute_url()
                parties[mention.party_id] = mention.party
            mention.party = parties[mention.party_id]


@dataclass
class Slice:
    """The articles of one page and the events that fall between its neighbours."""

    groups: list
    page: int
    pages: int
    count: int

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def timeline_slice(
    mentions, events, *, count, year=None, event_years=None, page=1, newest_first=True
):
    """Page ``page`` of ``mentions`` (already narrowed) merged with ``events``.

    ``count`` is the number of mentions in scope (known from the grouped counts, so no extra
    query). With ``year``, both are limited to that year; ``event_years`` (first, last: either
    None for no limit) widens the events to neighbouring years without articles of their own,
    so that a year's page also shows them. One query fetches the page plus the last row of the
    previous page, which bounds which events belong here, so every event appears on exactly
    one page.
    """
    if year is not None:
        mentions = mentions.filter(
            published_on__gte=dt.date(year, 1, 1), published_on__lte=dt.date(year, 12, 31)
        )
        first, last = event_years or (year, year)
        events = [
            e
            for e in events
            if (first is None or e.on.year >= first) and (last is None or e.on.year <= last)
        ]
    pages = max((count + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 1), pages)
    offset = (page - 1) * PAGE_SIZE
    order = (
        ("-article__published_at", "-article_id")
        if newest_first
        else ("article__published_at", "article_id")
    )
    start = max(offset - 1, 0)
    # A short year is cheaper to order whole than to bound by its dates first.
    bounded = year is not None and count > 5 * PAGE_SIZE
    rows = _rows_in_order(mentions, order, start, offset + PAGE_SIZE, bounded=bounded)
    _share_parties(rows)
    previous_last = rows.pop(0) if offset and rows else None
    this_last = rows[-1] if rows else None

    def comes_after(a, b):
        return a.key < b.key if newest_first else a.key > b.key

    kept = []
    for event in events:
        if previous_last is not None and not comes_after(event, article_entry(previous_last)):
            continue
        if page < pages and this_last is not None and comes_after(event, article_entry(this_last)):
            continue
        kept.append(event)
    return Slice(
        groups=merge(rows, kept, newest_first=newest_first),
        page=page,
        pages=pages,
        count=count,
    )
