"""Keeping ``ArticleCount`` right, and reading it.

``ArticleCount`` holds, for every facet value (politician, party on the article's date, topic,
source, or all articles) and every month, the number of published articles; rows with month 0
total a year, rows with year 0 total every year. Three ways keep it right:

* single edits (an article, a mention, a topic saved or deleted, in the admin or a restore):
  signal receivers recount the months the edit touched from the base tables;
* bulk changes (imports, admin actions, party refreshes): ``tracking(article_ids)`` counts what
  those articles contribute before and after and adds the difference;
* ``rebuild()`` (``manage.py recount_articles``) recounts everything, e.g. after a raw SQL load.

Each of these also rewrites the facet sample rows (``articles.derived.sample``) of the articles
or months concerned.

Inside ``tracking()`` single edits only note their months, and the months are recounted when the
block ends, after the bulk difference: a recount compares the stored rows with the base tables,
so nothing is counted twice. Writers take one lock (a PostgreSQL advisory lock; SQLite writers
are serialised anyway) so that concurrent differences are applied one at a time. Every change
also moves the page cache on (``articles.derived.generation.bump``).

Readers subtract what the few published articles with a date still to come contribute, so every
figure read here is exact at the moment it is read.
"""

import contextvars
import datetime as dt
from collections import Counter
from contextlib import contextmanager

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, F, Window
from django.db.models.functions import ExtractMonth, ExtractYear, Rank
from django.utils import timezone

from articles.backends import backend
from articles.models.counts import ArticleCount

from . import generation, sample

Dimension = ArticleCount.Dimension
LOCK_ID = 0x6E657773  # any constant shared by every writer of the counts
CHUNK = 5000
PUBLISHED = "published"

_tracker = contextvars.ContextVar("article_count_tracker", default=None)


# -- counting from the base tables --


def _models(apps):
    return (
        apps.get_model("articles", "Article"),
        apps.get_model("articles", "ArticleTopic"),
        apps.get_model("articles", "Mention"),
    )


def contributions(articles, *, apps=global_apps, dimensions=None):
    """What the published articles among ``articles`` (a queryset) add to each count.

    A Counter keyed by (dimension, key, year, month), months only (no year or all-time rows);
    only ``dimensions``, if given.
    """
    Article, ArticleTopic, Mention = _models(apps)
    published = articles.filter(status=PUBLISHED).order_by()
    ids = published.values("pk")
    result = Counter()

    def add(dimension, rows, key=None):
        if dimensions is not None and dimension not in dimensions:
            return
        for row in rows:
            result[(dimension, row[key] if key else 0, row["y"], row["m"])] += row["n"]

    by_month = {"y": ExtractYear("published_at"), "m": ExtractMonth("published_at")}
    add(Dimension.ALL, published.annotate(**by_month).values("y", "m").annotate(n=Count("pk")))
    add(
        Dimension.SOURCE,
        published.annotate(**by_month).values("source_id", "y", "m").annotate(n=Count("pk")),
        "source_id",
    )
    add(
        Dimension.TOPIC,
        ArticleTopic.objects.filter(article__in=ids)
        .annotate(y=ExtractYear("article__published_at"), m=ExtractMonth("article__published_at"))
        .values("topic_id", "y", "m")
        .annotate(n=Count("pk"))
        .order_by(),
        "topic_id",
    )
    # Months from the article itself (not the mention's copy of its date), so that a recount
    # run while the copies are being brought up to date still counts the right month.
    mentions = Mention.objects.filter(state="confirmed", article__in=ids).annotate(
        y=ExtractYear("article__published_at"), m=ExtractMonth("article__published_at")
    )
    add(
        Dimension.POLITICIAN,
        mentions.values("politician_id", "y", "m").annotate(n=Count("pk")).order_by(),
        "politician_id",
    )
    add(
        Dimension.PARTY,
        mentions.filter(party__isnull=False)
        .values("party_id", "y", "m")
        .annotate(n=Count("article", distinct=True))
        .order_by(),
        "party_id",
    )
    return result


def _contributions_of(ids, dimensions=None):
    from articles.models import Article

    ids = sorted(ids)
    total = Counter()
    for start in range(0, len(ids), CHUNK):
        chunk = Article.objects.filter(pk__in=ids[start : start + CHUNK])
        total.update(contributions(chunk, dimensions=dimensions))
    return total


def month_range(year, month):
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def month_of(published_at):
    local = timezone.localtime(published_at)
    return (local.year, local.month)


# -- writing --


def _lock():
    backend().lock(LOCK_ID)


def _add(delta):
    """Add ``delta`` (month rows) to the month, year and all-time rows, atomically per row."""
    rows = Counter()
    for (dimension, key, year, month), n in delta.items():
        if n:
            rows[(dimension, key, year, month)] += n
            rows[(dimension, key, year, 0)] += n
            rows[(dimension, key, 0, 0)] += n
    rows = sorted((k, n) for k, n in rows.items() if n)  # one order: no deadlocks
    if not rows:
        return
    backend().add_counts(connection.ops.quote_name(ArticleCount._meta.db_table), rows)


def _stored_months(months):
    stored = Counter()
    for year, month in months:
        for dimension, key, n in ArticleCount.objects.filter(year=year, month=month).values_list(
            "dimension", "key", "n"
        ):
            stored[(dimension, key, year, month)] += n
    return stored


def _recount(months):
    """Bring the rows of ``months`` (and their years and the totals) in line with the tables."""
    from articles.models import Article

    months = {m for m in months if m}
    if not months:
        return
    fresh = Counter()
    for year, month in months:
        start, end = month_range(year, month)
        fresh.update(
            contributions(Article.objects.filter(published_at__gte=start, published_at__lt=end))
        )
    delta = Counter(fresh)
    delta.subtract(_stored_months(months))
    _add(delta)
    sample.refresh_months([month_range(year, month) for year, month in sorted(months)])


def _changed():
    generation.bump()


class _Tracker:
    def __init__(self):
        self.ids = set()
        self.before = Counter()
        self.months = set()
        self.known = Counter()  # what articles created with their contributions add
        self.known_ids = set()

    def track(self, ids):
        new = set(ids) - self.ids
        if new:
            self.before.update(_contributions_of(new))
            self.ids |= new

    def created(self, ids, contributions=None):
        """Articles added inside the block: they counted for nothing before it.

        ``contributions`` (from ``contributions_from``), when the caller has the articles in
        memory, saves counting them again from the tables.
        """
        if contributions is None:
            self.ids |= set(ids)
        else:
            self.known.update(contributions)
            self.known_ids |= set(ids)

    def finish(self):
        if self.ids or self.known_ids:
            delta = _contributions_of(self.ids) if self.ids else Counter()
            delta.subtract(self.before)
            delta.update(self.known)
            _add(delta)
            sample.refresh(self.ids | self.known_ids)
        _recount(self.months)


def contributions_from(articles):
    """Like ``contributions``, for articles described in memory rather than read from the
    tables: ``(local date of publication, status, source id, topic ids, [(politician id,
    mention state, party id)])`` each."""
    result = Counter()
    for published_on, status, source_id, topic_ids, mentions in articles:
        if status != PUBLISHED:
            continue
        year, month = published_on.year, published_on.month
        confirmed = [(p, party) for p, state, party in mentions if state == "confirmed"]
        keys = {(Dimension.ALL, 0), (Dimension.SOURCE, source_id)}
        keys |= {(Dimension.TOPIC, topic) for topic in topic_ids}
        keys |= {(Dimension.POLITICIAN, politician) for politician, _ in confirmed}
        keys |= {(Dimension.PARTY, party) for _, party in confirmed if party is not None}
        for dimension, key in keys:
            result[(dimension, key, year, month)] += 1
    return result


@contextmanager
def tracking(article_ids=()):
    """Around a bulk change of ``article_ids`` (ids, or a queryset of ids): keep the counts right.

    Blocks nest: an inner block's articles join the outermost one, which does the counting.
    """
    if not isinstance(article_ids, list | tuple | set | frozenset):
        article_ids = list(article_ids)
    tracker = _tracker.get()
    if tracker is not None:
        tracker.track(article_ids)
        yield tracker
        return
    with transaction.atomic():
        _lock()
        tracker = _Tracker()
        tracker.track(article_ids)
        token = _tracker.set(tracker)
        try:
            yield tracker
        finally:
            _tracker.reset(token)
        tracker.finish()
        if tracker.ids or tracker.known_ids or tracker.months:
            _changed()


@contextmanager
def tracking_parties(article_ids):
    """Around a change of the parties on the mentions of ``article_ids``: only the party counts
    can move, so only they are counted before and after."""
    tracker = _tracker.get()
    if tracker is not None:
        tracker.track(article_ids)
        yield tracker
        return
    if not article_ids:
        yield None
        return
    parties = {Dimension.PARTY}
    with transaction.atomic():
        _lock()
        before = _contributions_of(article_ids, parties)
        yield None
        delta = _contributions_of(article_ids, parties)
        delta.subtract(before)
        _add(delta)
        sample.refresh(article_ids)
        _changed()


def months_changed(months):
    """A single edit changed ``months``: recount them now, or when the open block ends."""
    tracker = _tracker.get()
    if tracker is not None:
        tracker.months |= {m for m in months if m}
        return
    with transaction.atomic():
        _lock()
        _recount(months)


def _has_model(apps, name):
    try:
        apps.get_model("articles", name)
    except LookupError:
        return False
    return True


def rebuild(*, apps=global_apps):
    """Recount everything from the base tables."""
    Article = apps.get_model("articles", "Article")
    Count_ = apps.get_model("articles", "ArticleCount")
    with transaction.atomic():
        _lock()
        Count_.objects.all().delete()
        months = contributions(Article.objects.all(), apps=apps)
        rows = Counter()
        for (dimension, key, year, month), n in months.items():
            rows[(dimension, key, year, month)] += n
            rows[(dimension, key, year, 0)] += n
            rows[(dimension, key, 0, 0)] += n
        Count_.objects.bulk_create(
            (
                Count_(dimension=d, key=k, year=y, month=m, n=n)
                for (d, k, y, m), n in rows.items()
                if n
            ),
            batch_size=5000,
        )
        if _has_model(apps, "FacetSample"):  # not before migration 0008
            sample.rebuild(apps=apps)
        if apps is global_apps:  # not from a migration
            _changed()
    return len(rows)


# -- reading --


def not_yet_public(now):
    """What published articles dated after ``now`` contribute (usually nothing)."""
    from articles.models import Article

    scheduled = Article.objects.filter(status=PUBLISHED, published_at__gt=now)
    if not scheduled.exists():
        return Counter()
    months = contributions(scheduled)
    rows = Counter()
    for (dimension, key, year, month), n in months.items():
        rows[(dimension, key, year, month)] += n
        rows[(dimension, key, year, 0)] += n
        rows[(dimension, key, 0, 0)] += n
    return rows


def totals(dimension=None, *, year=0, month=0, now=None, scheduled=None):
    """{key: public articles} in a month, a year (month 0) or ever (year 0), in one query.

    With no ``dimension``: {dimension: {key: public articles}} for every dimension.
    ``scheduled`` is what ``not_yet_public(now)`` returned, when the caller has it already.
    """
    dimensions = [dimension] if dimension else Dimension.values  # the index leads with it
    rows = ArticleCount.objects.filter(dimension__in=dimensions, year=year, month=month, n__gt=0)
    result = {}
    for d, key, n in rows.values_list("dimension", "key", "n"):
        result.setdefault(d, {})[key] = n
    if scheduled is None:
        scheduled = not_yet_public(now or timezone.now())
    for (d, key, y, m), n in scheduled.items():
        if y == year and m == month and key in result.get(d, ()):
            result[d][key] -= n
    result = {d: {key: n for key, n in keys.items() if n > 0} for d, keys in result.items()}
    return result.get(dimension, {}) if dimension else result


def largest(dimension, count, *, year=0, month=0, lowered=(), now=None):
    """Like ``totals(dimension)``, but only the keys that can still be among the ``count``
    largest once the keys ``lowered`` are lowered by any amount: read from the database are the
    ``count + len(lowered)`` largest (and any tied with the last), which hold ``count`` keys that
    are not lowered and larger than any key left out."""
    scheduled = not_yet_public(now or timezone.now())
    lowered = set(lowered) | {
        k for (d, k, y, m) in scheduled if d == dimension and y == year and m == month
    }
    rows = (
        ArticleCount.objects.filter(dimension=dimension, year=year, month=month, n__gt=0)
        .annotate(place=Window(Rank(), order_by=F("n").desc()))
        .filter(place__lte=count + len(lowered))
        .values_list("key", "n")
    )
    result = dict(rows)
    for (d, key, y, m), n in scheduled.items():
        if d == dimension and y == year and m == month and key in result:
            result[key] -= n
    return {key: n for key, n in result.items() if n > 0}


def monthly(dimension, key=0, *, now=None, scheduled=None):
    """{(year, month): public articles} of one facet value (or of all articles, key 0)."""
    stored = ArticleCount.objects.filter(
        dimension=dimension, key=key, year__gt=0, month__gt=0, n__gt=0
    ).values_list("year", "month", "n")
    rows = {(y, m): n for y, m, n in stored}
    if scheduled is None:
        scheduled = not_yet_public(now or timezone.now())
    for (d, k, y, m), n in scheduled.items():
        if d == dimension and k == key and m and (y, m) in rows:
            rows[(y, m)] -= n
    return {ym: n for ym, n in rows.items() if n > 0}
