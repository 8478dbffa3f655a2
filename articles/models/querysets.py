"""Chainable queries over articles: ``Article.objects.published().mentioning(p).in_party(x)``."""

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.backends import backend


def _start_of(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _ids(values):
    """Model instances, ids or a queryset, as something ``__in`` accepts."""
    if isinstance(values, models.QuerySet):
        return values
    return [getattr(v, "pk", v) for v in values]


def _no_guard(queryset, operation, fields):
    pass


_guard = _no_guard


def set_bulk_write_guard(guard):
    """Have ``guard(queryset, operation, fields)`` called before every bulk write of a tracked
    model (``articles.derived.guard`` installs one in tests and with debug on)."""
    global _guard
    _guard = guard or _no_guard


class TrackedQuerySet(models.QuerySet):
    """Rows other data is derived from (stored counts, the facet sample, the mentions' copies).

    Bulk writes skip model signals, so they must run inside ``articles.derived.change()``, the
    one place that keeps the derived data right; the installed guard says so loudly. (Queryset
    deletes send the signals for every row, so single-edit receivers keep them right.)
    """

    def update(self, **kwargs):
        _guard(self, "update", set(kwargs))
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        _guard(self, "bulk_update", set(fields))
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        _guard(self, "bulk_create", None)
        return super().bulk_create(objs, *args, **kwargs)


class DateRangeMixin:
    """Date filters shared by articles and the facet sample (``published_at``)."""

    def between(self, start=None, end=None):
        """Articles published from ``start`` to ``end`` (dates, inclusive, archive time zone)."""
        qs = self
        if start:
            qs = qs.filter(published_at__gte=_start_of(start))
        if end:
            qs = qs.filter(published_at__lt=_start_of(end + dt.timedelta(days=1)))
        return qs

    def in_year(self, year, month=None):
        """Articles published in ``year`` (and ``month``, if given)."""
        if month:
            start = dt.date(year, month, 1)
            end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.between(start, end)


class ArticleQuerySet(DateRangeMixin, TrackedQuerySet):
    def published(self, now=None):
        """Articles readers may see: published, and their date has come."""
        now = now or timezone.now()
        return self.filter(status="published", published_at__lte=now)

    def _with_mention(self, **conditions):
        Mention = apps.get_model("articles", "Mention")
        return self.filter(
            Exists(Mention.objects.confirmed().filter(article=OuterRef("pk"), **conditions))
        )

    def mentioning(self, *politicians, role=None):
        """Articles with a confirmed mention of any of ``politicians`` (optionally in ``role``)."""
        conditions = {"politician__in": _ids(politicians)}
        if role:
            conditions["role__in"] = [role] if isinstance(role, str) else list(role)
        return self._with_mention(**conditions)

    def mentioning_all(self, *politicians, role=None):
        """Articles with a confirmed mention of every one of ``politicians`` ("together")."""
        articles = self
        for politician in politicians:
            articles = articles.mentioning(politician, role=role)
        return articles

    def in_party(self, *parties):
        """Articles mentioning a member of any of ``parties`` as of the article's date."""
        return self._with_mention(party__in=_ids(parties))

    def about(self, *topics):
        """Articles tagged with any of ``topics``."""
        ArticleTopic = apps.get_model("articles", "ArticleTopic")
        return self.filter(
            Exists(ArticleTopic.objects.filter(article=OuterRef("pk"), topic__in=_ids(topics)))
        )

    def by_author(self, *authors):
        """Articles written (or co-written) by any of ``authors``."""
        ArticleAuthor = apps.get_model("articles", "ArticleAuthor")
        return self.filter(
            Exists(ArticleAuthor.objects.filter(article=OuterRef("pk"), author__in=_ids(authors)))
        )

    def from_sources(self, *sources):
        """Articles from any of ``sources``."""
        return self.filter(source__in=_ids(sources))

    def search(self, text):
        """Articles matching ``text`` (web-search syntax: words, "a phrase", -word, or)."""
        text = (text or "").strip()
        return self.filter(backend(self.db).search_condition(text)) if text else self
