"""Estimated facet counts for large selections of the article browser.

Counting exactly how many of 300,000 selected articles mention each party takes seconds on a
large archive. When a facet would count more than ``settings.FACET_EXACT_UP_TO`` articles, the
browser counts the same selection on the facet sample instead (``FacetSample``: one published
article in ``FACET_SAMPLE_EVERY``, with its facet values, held in memory by
``articles.facets.sample``) and multiplies up. Such figures are shown as "about N", rounded to two
significant figures; everything else stays exact.

The multiplier is the number of published articles (stored in ``ArticleCount``) over the
number sampled, so it stays right when ids have gaps.
"""

import math
from functools import cached_property

from django.conf import settings
from django.db.models import Q

from articles.models import ArticleCount
from articles.models.sample import sample_every

from .spec import BY_NAME


def _applied(filterset, without=()):
    """The filters a selection applies (leaving out ``without``), as a key."""
    return frozenset(filterset.params) - {"sort", "show", "page", *without}


def _stored_row(filterset, applied):
    """The ``ArticleCount`` row (dimension, key, year, month) counting the articles a set of
    filters selects, when there is one: one value of one facet, or none, with a year or month."""
    facets = applied - {"year", "month"}
    if not facets <= BY_NAME.keys() or len(facets) > 1:
        return None  # a search, dates, a role, or two facets: no stored count
    year = filterset.value("year") if "year" in applied else 0
    month = filterset.value("month") if "month" in applied else 0
    if not facets:
        return ("all", 0, year or 0, month or 0)
    (facet,) = facets
    chosen = filterset.selected(facet)
    return (facet, chosen[0].pk, year or 0, month or 0) if len(chosen) == 1 else None


def _unused(filterset, applied):
    return set(filterset.params) - applied


def about(n):
    """``n`` rounded to two significant figures (at least 1): 123,456 → 120,000."""
    n = max(1, round(n))
    digits = int(math.log10(n)) + 1
    return n if digits <= 2 else round(n, 2 - digits)


class Estimates:
    """Sizes of a browser selection, and of what each facet counts, measured on the sample."""

    def __init__(self, filterset, published):
        self.filterset, self.published, self.sizes = filterset, published, {}
        self.limit = settings.FACET_EXACT_UP_TO
        self._ids = {}

    def ids(self, without=()):
        """The ids of the articles the filters (less ``without``) select, read once."""
        key = _applied(self.filterset, without)
        if key not in self._ids:
            articles = self.filterset.articles(without=without)
            self._ids[key] = list(articles.values_list("pk", flat=True))
        return self._ids[key]

    @classmethod
    def of(cls, filterset):
        """Estimates for ``filterset``, or None when the whole archive is small enough to count
        or the filter does not start from the whole archive."""
        if not filterset.whole_archive:
            return None
        # The selection, and each facet's selection without its own filters (sets that apply
        # the same filters are measured once). A set of one value of one facet
        # (in a year or month, perhaps) is as large as its stored count; others are measured on
        # the sample.
        names = {"selection": _applied(filterset)}
        names.update({facet: _applied(filterset, f) for facet, f in filterset.FACETS.items()})
        rows = {key: _stored_row(filterset, key) for key in dict.fromkeys(names.values())}
        wanted = {("all", 0, 0, 0), *(row for row in rows.values() if row)}
        condition = Q()
        for dimension, key, year, month in wanted:
            condition |= Q(dimension=dimension, key=key, year=year, month=month)
        stored = {
            (d, k, y, m): n
            for d, k, y, m, n in ArticleCount.objects.filter(condition).values_list(
                "dimension", "key", "year", "month", "n"
            )
        }
        published = stored.get(("all", 0, 0, 0), 0)
        if published <= settings.FACET_EXACT_UP_TO:
            return None
        estimates = cls(filterset, published)
        measured = [key for key, row in rows.items() if row is None]
        if measured:
            if not estimates.sampled:
                return None
            sizes = {
                key: filterset.sample(without=_unused(filterset, key)).count() * estimates.scale
                for key in measured
            }
        else:
            sizes = {}
        sizes.update({key: stored.get(row, 0) for key, row in rows.items() if row})
        estimates.sizes = {name: sizes[key] for name, key in names.items()}
        return estimates

    @cached_property
    def sampled(self):
        """The number of articles in the sample (published, whatever their date)."""
        return self.filterset.sampled.index.size

    @property
    def scale(self):
        """Articles per sampled article: the stored count of published articles (which also
        counts those whose date is still to come) over the sampled ones."""
        return self.published / self.sampled if self.sampled else sample_every()

    def large(self, name):
        """Whether the selection (``"selection"``) or what facet ``name`` counts is too large to
        count exactly."""
        return self.sizes[name] > self.limit

    def counts(self, samples, dimension):
        """{key: estimated articles} of the sampled articles ``samples`` (a ``SampleSet``) per
        value of ``dimension`` (``"source"``, or a ``FacetSampleValue`` dimension)."""
        return {key: n * self.scale for key, n in samples.counts(dimension).items()}

    def months(self, samples):
        """{(year, month): estimated articles} of ``samples``."""
        return {month: n * self.scale for month, n in samples.months().items()}
