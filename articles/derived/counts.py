"""The stored counts (``ArticleCount``): counting what articles contribute, and adding it.

``ArticleCount`` holds, for every facet value (politician, party on the article's date, topic,
source, author, or all articles) and every month, the number of published articles; rows with
month 0 total a year, rows with year 0 total every year. Only the gateway
(``articles.derived.gateway``) calls the writers here: ``add`` a difference counted before and
after a change, ``recount`` whole months from the base tables, ``rebuild`` everything
(``manage.py recount_articles``).

Readers subtract what the few published articles with a date still to come contribute, so every
figure read here is exact at the moment it is read.
"""

import datetime as dt
from collections import Counter

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import ExtractMonth, ExtractYear, Rank
from django.utils import timezone

from articles.backends import backend
from articles.models.counts import ArticleCount

from . import sample

Dimension = ArticleCount.Dimension
CHUNK = 5000
PUBLISHED = "published"


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
    if _has_model(apps, "ArticleAuthor"):  # not before migration 0015
        # One row per article and author (unique_article_author), so rows count articles.
        add(
            Dimension.AUTHOR,
            apps.get_model("articles", "ArticleAuthor")
            .objects.filter(article__in=ids)
            .annotate(
                y=ExtractYear("article__published_at"), m=ExtractMonth("article__published_at")
            )
            .values("author_id", "y", "m")
            .annotate(n=Count("pk"))
            .order_by(),
            "author_id",
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


def contributions_of(ids, dimensions=None):
    """What the articles ``ids`` contribute now (only ``dimensions``, if given)."""
    from articles.models import Article

    ids = sorted(ids)
    total = Counter()
    for start in range(0, len(ids), CHUNK):
        chunk = Article.objects.filter(pk__in=ids[start : start + CHUNK])
        total.update(contributions(chunk, dimensions=dimensions))
    return total


def month_range(year, month):
    start = timezone.make_aware(dt.datetime(year, month, 1))
    if (year, month) == (dt.MAXYEAR, 12):
        return start, timezone.make_aware(dt.datetime.max)
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def month_of(published_at):
    local = timezone.localtime(published_at)
    return (local.year, local.month)


# -- writing --


def add(delta):
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


def recount(months):
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
    add(delta)


def contributions_from(articles):
    """Like ``contributions``, for articles described in memory rather than read from the
    tables: ``(local date of publication, status, source id, topic ids, author ids,
    [(politician id, mention state, party id)])`` each."""
    result = Counter()
    for published_on, status, source_id, topic_ids, author_ids, mentions in articles:
        if status != PUBLISHED:
            continue
        year, month = published_on.year, published_on.month
        confirmed = [(p, party) for p, state, party in mentions if state == "confirmed"]
        keys = {(Dimension.ALL, 0), (Dimension.SOURCE, source_id)}
        keys |= {(Dimension.TOPIC, topic) for topic in topic_ids}
        keys |= {(Dimension.AUTHOR, author) for author in author_ids}
        keys |= {(Dimension.POLITICIAN, politician) for politician, _ in confirmed}
        keys |= {(Dimension.PARTY, party) for _, party in confirmed if party is not None}
        for dimension, key in keys:
            result[(dimension, key, year, month)] += 1
    return result


def _has_model(apps, name):
    try:
        apps.get_model("articles", name)
    except LookupError:
        return False
    return True


def rebuild(*, apps=global_apps):
    """Recount everything from the base tables (and rewrite the sample); the number of rows.

    ``apps``: a migration's historical models. Otherwise call ``articles.derived.rebuild()``,
    which also takes the writers' lock and gives the archive a new generation.
    """
    Article = apps.get_model("articles", "Article")
    Count_ = apps.get_model("articles", "ArticleCount")
    with transaction.atomic():
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


def over_months(months, dimensions=None, *, now=None, scheduled=None):
    """{dimension: {key: public articles}} summed over ``months`` ((year, month) pairs; a run of
    them reads best, each year's months as one range of the index), in one query."""
    months = set(months)
    dimensions = list(dimensions or Dimension.values)
    period = Q()
    for year in {y for y, _ in months}:
        in_year = [m for y, m in months if y == year]
        period |= Q(year=year, month__gte=min(in_year), month__lte=max(in_year))
    rows = ArticleCount.objects.filter(period, dimension__in=dimensions, n__gt=0).values_list(
        "dimension", "key", "year", "month", "n"
    )
    result = {}
    for d, key, y, m, n in rows:
        if (y, m) in months:
            bucket = result.setdefault(d, {})
            bucket[key] = bucket.get(key, 0) + n
    if scheduled is None:
        scheduled = not_yet_public(now or timezone.now())
    for (d, key, y, m), n in scheduled.items():
        if m and (y, m) in months and key in result.get(d, ()):
            result[d][key] -= n
    return {d: {key: n for key, n in keys.items() if n > 0} for d, keys in result.items()}
