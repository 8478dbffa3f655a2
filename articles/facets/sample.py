"""The facet sample held in memory as arrays, for estimated facet counts in microseconds.

``FacetSample`` keeps one published article in ``sample_every()`` with its facet values. Counting
a selection's politicians, parties, topics, sources and months on those rows in SQL still costs
several queries of 5–20 ms on a large archive; here each process reads the sample once into
numpy arrays and answers the same questions with array operations:

* ``SampleSet`` is a selection of sampled articles (a boolean mask). It has the filter methods of
  ``ArticleQuerySet`` that ``ArticleFilter`` calls (``mentioning``, ``in_party``, ``about``,
  ``from_sources``, ``between``, ``in_year``, ``search``, ``published``), so the browser applies
  its filters to the sample exactly as it does to articles (``ArticleFilter.sample``).
* ``counts(dimension)`` and ``months()`` count the sampled articles per value or per month.

The arrays are read again whenever the sample's token (``ArchiveGeneration.sample_token``,
replaced with every change to the sample, in the same transaction; ``articles.derived.generation``)
differs from the one they were read under. A
search still asks the database which sampled articles match.
"""

import datetime as dt
import itertools
import logging
import threading
from operator import itemgetter

import numpy as np
from django.db import connections
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from articles.derived import generation
from articles.models import FacetSample, FacetSampleValue
from articles.models.querysets import DateRangeMixin, _start_of
from articles.models.sample import POLITICIAN

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)
SEARCHES_KEPT = 256


def _micros(moment):
    """An aware datetime as whole microseconds since 1970 (exact, unlike ``timestamp()``)."""
    return (moment - EPOCH) // MICROSECOND


class _Values:
    """The values of one dimension: which sampled row (``rows``) has which key (``keys``)."""

    def __init__(self, rows, keys):
        self.rows = np.asarray(rows, dtype=np.int64)
        self.keys = np.asarray(keys, dtype=np.int64)
        # Keys numbered densely, so counting them is one bincount.
        self.distinct, self.numbered = np.unique(self.keys, return_inverse=True)


class SampleIndex:
    """The sample of one database, read under one token."""

    def __init__(self, token, samples, values):
        """``samples``: (article id, published_at, source id, local year, local month) in date
        order; ``values``: (dimension, article id, key) ordered by dimension."""
        self.token = token
        self.size = len(samples)
        self.ids = np.array([row[0] for row in samples], dtype=np.int64)
        self.moments = np.array([_micros(row[1]) for row in samples], dtype=np.int64)
        self.sources = _Values(range(self.size), [row[2] for row in samples])
        self.months = np.array([row[3] * 12 + row[4] - 1 for row in samples], dtype=np.int64)
        by_id = np.argsort(self.ids)
        self.values = {}
        for dimension, rows in itertools.groupby(values, key=itemgetter(0)):
            rows = list(rows)
            sampled = np.array([row[1] for row in rows], dtype=np.int64)
            positions = by_id[np.searchsorted(self.ids, sampled, sorter=by_id)]
            self.values[dimension] = _Values(positions, [row[2] for row in rows])
        self.empty = _Values([], [])
        self._searches = {}

    @classmethod
    def read(cls, using, token):
        samples = (
            FacetSample.objects.using(using)
            .annotate(year=ExtractYear("published_at"), month=ExtractMonth("published_at"))
            .order_by("published_at", "pk")  # a date range is then a slice
            .values_list("pk", "published_at", "source_id", "year", "month")
        )
        table = connections[using].ops.quote_name(FacetSampleValue._meta.db_table)
        with connections[using].cursor() as cursor:  # 100,000 rows: no model layer needed
            cursor.execute(f"SELECT dimension, sample_id, key FROM {table} ORDER BY dimension")
            values = cursor.fetchall()
        return cls(token, list(samples), values)

    def matching(self, text, using):
        """A mask of the sampled articles matching ``text``, asked of the database once per
        text while these contents last (the latest ``SEARCHES_KEPT`` texts are kept)."""
        mask = self._searches.get(text)
        if mask is None:
            found = FacetSample.objects.using(using).search(text).values_list("pk", flat=True)
            mask = np.isin(self.ids, list(found))
            with _reading:
                if len(self._searches) >= SEARCHES_KEPT:
                    self._searches.pop(next(iter(self._searches)))
                self._searches[text] = mask
        return mask

    def everything(self, using):
        """Every sampled article (published, whatever its date)."""
        return SampleSet(self, np.ones(self.size, dtype=bool), using)

    def dimension(self, name):
        return self.sources if name == "source" else self.values.get(name, self.empty)


_read = {}  # {database alias: SampleIndex}
_reading = threading.Lock()


def warm(using="default"):
    """Read the sample into memory now (a worker calls this in the background as it starts, so
    no reader pays for the first read); any database error is left for requests to meet."""
    try:
        sampled_articles(using)
    except Exception:  # noqa: BLE001 (a worker must start even when the database is away)
        logging.getLogger(__name__).warning("The facet sample was not read ahead", exc_info=True)
    finally:
        connections[using].close()


def sampled_articles(using="default"):
    """Every sampled article of database ``using``, from arrays read under the current token."""
    token = generation.current(using).sample_token
    index = _read.get(using)
    if index is None or index.token != token:
        with _reading:
            index = _read.get(using)
            if index is None or index.token != token:
                index = SampleIndex.read(using, token)
                _read[using] = index
    return index.everything(using)


class SampleSet(DateRangeMixin):
    """A selection of sampled articles, filtered like ``ArticleQuerySet``."""

    def __init__(self, index, mask, using):
        self.index, self.mask, self.db = index, mask, using

    def _narrowed(self, mask):
        return SampleSet(self.index, self.mask & mask, self.db)

    def _with_value(self, dimensions, values):
        keys = [getattr(value, "pk", value) for value in values]
        having = np.zeros(self.index.size, dtype=bool)
        for dimension in dimensions:
            values = self.index.dimension(dimension)
            having[values.rows[np.isin(values.keys, keys)]] = True
        return self._narrowed(having)

    def _slice(self, start, stop):
        """Rows from moment ``start`` (inclusive) to ``stop`` (exclusive); None: no bound."""
        moments, mask = self.index.moments, np.zeros(self.index.size, dtype=bool)
        first = 0 if start is None else np.searchsorted(moments, start, side="left")
        last = self.index.size if stop is None else np.searchsorted(moments, stop, side="left")
        mask[first:last] = True
        return self._narrowed(mask)

    # The filters ArticleFilter applies (see ArticleQuerySet and FacetSampleQuerySet).

    def published(self, now=None):
        """Sampled articles readers may see: their date has come."""
        return self._slice(None, _micros(now or timezone.now()) + 1)

    def between(self, start=None, end=None):
        """Articles published from ``start`` to ``end`` (dates, inclusive, archive time zone)."""
        return self._slice(
            _micros(_start_of(start)) if start else None,
            _micros(_start_of(end + dt.timedelta(days=1))) if end else None,
        )

    def mentioning(self, *politicians, role=None):
        roles = [role] if isinstance(role, str) else list(role or ())
        return self._with_value(roles or [POLITICIAN], politicians)

    def mentioning_all(self, *politicians, role=None):
        articles = self
        for politician in politicians:
            articles = articles.mentioning(politician, role=role)
        return articles

    def in_party(self, *parties):
        return self._with_value(["party"], parties)

    def about(self, *topics):
        return self._with_value(["topic"], topics)

    def from_sources(self, *sources):
        return self._with_value(["source"], sources)

    def by_author(self, *authors):
        return self._with_value(["author"], authors)

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        return self._narrowed(self.index.matching(text, self.db))

    def excluding(self, other):
        """These sampled articles less those of ``other``."""
        return SampleSet(self.index, self.mask & ~other.mask, self.db)

    # Counting.

    def count(self):
        return int(np.count_nonzero(self.mask))

    def counts(self, dimension):
        """{key: sampled articles} per value of ``dimension`` (``"source"`` or a
        ``FacetSampleValue`` dimension) among these articles."""
        values = self.index.dimension(dimension)
        chosen = values.numbered[self.mask[values.rows]]
        counted = np.bincount(chosen, minlength=len(values.distinct))
        found = np.flatnonzero(counted)
        return dict(zip(values.distinct[found].tolist(), counted[found].tolist(), strict=True))

    def months(self):
        """{(year, month): sampled articles} among these articles (archive time zone)."""
        months, counted = np.unique(self.index.months[self.mask], return_counts=True)
        return {
            (month // 12, month % 12 + 1): n
            for month, n in zip(months.tolist(), counted.tolist(), strict=True)
        }
