"""Keeping the facet sample (``FacetSample``) right.

Called by the gateway (``articles.derived.gateway``) wherever the stored counts are brought up to
date, in the same transaction: ``refresh(ids)`` for the articles a change touched,
``refresh_months`` for the months single edits recount, ``rebuild`` with ``recount_articles``.
Each rewrites the sample rows of the articles concerned from the base tables; only one article in
``sample_every()`` is sampled, so this costs little. The gateway then gives the archive's
generation a new ``sample_token``, which tells serving processes to read the sample again.
"""

import secrets

from django.apps import apps as global_apps
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Mod

from articles.backends import backend
from articles.models.sample import AUTHOR, PARTY, POLITICIAN, TOPIC, sample_every

CHUNK = 2000


def _models(apps):
    names = ("Article", "Mention", "ArticleTopic", "FacetSample", "FacetSampleValue")
    return [apps.get_model("articles", name) for name in names]


def _author_links(apps):
    try:
        return apps.get_model("articles", "ArticleAuthor")
    except LookupError:  # a migration before 0015
        return None


def _sampled(articles):
    """The published articles of ``articles`` (a queryset) that belong to the sample."""
    every = sample_every()
    articles = articles.filter(status="published")
    if every == 1:
        return articles
    return articles.alias(bucket=Mod(F("id"), Value(every))).filter(bucket=0)


def _insert(ids, apps):
    """Sample rows for the articles ``ids`` (sampled and published), from the base tables."""
    Article, Mention, ArticleTopic, FacetSample, FacetSampleValue = _models(apps)
    ArticleAuthor = _author_links(apps)
    table = connection.ops.quote_name(FacetSample._meta.db_table)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # The search vector is copied inside the database, never through Python.
        select, params = (
            Article.objects.filter(pk__in=chunk)
            .order_by()
            .values_list("id", "published_at", "source_id", "search_vector")
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (article_id, published_at, source_id, search_vector) "
                f"{select}",
                params,
            )
        values = set()
        mentions = Mention.objects.filter(state="confirmed", article_id__in=chunk).order_by()
        for article_id, politician_id, role, party_id in mentions.values_list(
            "article_id", "politician_id", "role", "party_id"
        ):
            values.add((article_id, POLITICIAN, politician_id))
            values.add((article_id, role, politician_id))
            if party_id:
                values.add((article_id, PARTY, party_id))
        topics = ArticleTopic.objects.filter(article_id__in=chunk).order_by()
        for article_id, topic_id in topics.values_list("article_id", "topic_id"):
            values.add((article_id, TOPIC, topic_id))
        if ArticleAuthor is not None:
            authors = ArticleAuthor.objects.filter(article_id__in=chunk).order_by()
            for article_id, author_id in authors.values_list("article_id", "author_id"):
                values.add((article_id, AUTHOR, author_id))
        FacetSampleValue.objects.bulk_create(
            (FacetSampleValue(sample_id=a, dimension=d, key=k) for a, d, k in sorted(values)),
            batch_size=5000,
        )


def _delete(samples, apps):
    FacetSampleValue = apps.get_model("articles", "FacetSampleValue")
    FacetSampleValue.objects.filter(sample__in=samples.values("pk")).delete()
    samples.delete()


def _replaced(apps):
    """In a migration, give the sample's contents a new token in this transaction (outside one,
    the gateway replaces the archive's generation, ``sample_token`` included)."""
    if apps is global_apps:
        return
    try:
        State = apps.get_model("articles", "FacetSampleState")
    except LookupError:  # a migration before 0009, or after the generation row replaced it
        return
    State.objects.update_or_create(pk=1, defaults={"token": secrets.randbits(62)})


def refresh(article_ids, *, apps=global_apps):
    """Rewrite the sample rows of ``article_ids`` (any ids: those not sampled are skipped)."""
    every = sample_every()
    ids = sorted({i for i in article_ids if i % every == 0})
    if not ids:
        return
    Article, FacetSample = apps.get_model("articles", "Article"), _models(apps)[3]
    for start in range(0, len(ids), CHUNK):
        _delete(FacetSample.objects.filter(pk__in=ids[start : start + CHUNK]), apps)
    sampled = _sampled(Article.objects.filter(pk__in=ids))
    _insert(sorted(sampled.values_list("pk", flat=True)), apps)
    _replaced(apps)


def refresh_months(ranges, *, apps=global_apps):
    """Rewrite the sample rows of the articles dated in ``ranges`` ((start, end) datetimes).

    Every range's rows go before any is written again: an article moved from one range to
    another still has its row under the old date until then.
    """
    Article, FacetSample = apps.get_model("articles", "Article"), _models(apps)[3]
    for start, end in ranges:
        _delete(FacetSample.objects.filter(published_at__gte=start, published_at__lt=end), apps)
    for start, end in ranges:
        sampled = _sampled(Article.objects.filter(published_at__gte=start, published_at__lt=end))
        _insert(sorted(sampled.values_list("pk", flat=True)), apps)
    _replaced(apps)


def rebuild(*, apps=global_apps):
    """Rewrite the whole sample; returns the number of sampled articles."""
    Article, FacetSample = apps.get_model("articles", "Article"), _models(apps)[3]
    _delete(FacetSample.objects.all(), apps)
    ids = sorted(_sampled(Article.objects.all()).values_list("pk", flat=True))
    _insert(ids, apps)
    _replaced(apps)
    backend().analyze(FacetSample, _models(apps)[4])
    return len(ids)
