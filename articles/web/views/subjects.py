"""Pages for what articles are filed under: a topic, a source (and any other browser facet).

One view serves them all, told the model, the browser's parameter for it and, where the stored
counts keep that dimension, which one. The articles are the browser's own selection for that
parameter, so the page, its feed and "Browse with filters" always agree.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from articles.derived import counts as stored_counts
from articles.facets.filters import ArticleFilter
from articles.models import ArticleCount, Mention, Politician

from .. import charts
from ..paging import CountedPaginator
from .browse import as_cards

PER_PAGE = 20
MOST_MENTIONED = 10


@dataclass(frozen=True)
class Subject:
    """What a subject page is about: ``model`` (with ``name`` and ``slug``), the browser's
    ``parameter`` selecting its articles, and the ``dimension`` of the stored counts that keep
    its monthly figures (None: counted from the articles)."""

    model: type
    parameter: str
    dimension: ArticleCount.Dimension | None = None

    @property
    def noun(self):
        return str(self.model._meta.verbose_name)

    def query(self, item):
        """The browser's parameters selecting ``item``'s articles."""
        query = QueryDict(mutable=True)
        query[self.parameter] = item.slug
        return query

    def selection(self, item):
        """The browser's FilterSet for this item alone."""
        return ArticleFilter(self.query(item))

    def monthly(self, item, articles, now):
        """{first day of month: public articles}, from the stored counts when they keep it."""
        if self.dimension is not None:
            counts = stored_counts.monthly(self.dimension, item.pk, now=now)
        else:
            rows = (
                articles.order_by()
                .annotate(y=ExtractYear("published_at"), m=ExtractMonth("published_at"))
                .values_list("y", "m")
                .annotate(n=Count("pk"))
            )
            counts = {(y, m): n for y, m, n in rows}
        return {dt.date(y, m, 1): n for (y, m), n in sorted(counts.items()) if n}


def most_mentioned(articles, limit=MOST_MENTIONED):
    """The politicians confirmed in the most of ``articles``, with ``n``, in one query."""
    return list(
        Politician.objects.filter(
            mentions__state=Mention.State.CONFIRMED,
            mentions__article__in=articles.order_by().values("pk"),
        )
        .annotate(n=Count("*"))
        .values("n", "name", "slug")
        .order_by("-n", "sort_name", "slug")[:limit]
    )


def _page_number(raw):
    """The page asked for, or None when ``raw`` is not a page number."""
    raw = (raw or "1").strip() or "1"
    return int(raw) if re.fullmatch(r"\d{1,9}", raw) and int(raw) >= 1 else None


def subject_page(model, parameter, dimension=None):
    """The view of one kind of subject page: ``/topics/<slug>/`` is
    ``subject_page(Topic, "topic", ArticleCount.Dimension.TOPIC)``."""
    subject = Subject(model, parameter, dimension)

    def view(request, slug):
        item = get_object_or_404(model, slug=slug)
        now = timezone.now()
        query = subject.query(item).urlencode()
        context = {
            "subject": subject,
            "item": item,
            "query": query,
            "browse_url": f"{reverse('articles:list')}?{query}",
            "homepage": getattr(item, "homepage", ""),
        }
        number = _page_number(request.GET.get("page"))
        if number is None:
            shown = request.GET.get("page", "")[:20]
            context["notices"] = [f"“{shown}” is not a page number; pages are numbered from 1."]
            return render(request, "articles/subject_detail.html", context, status=400)

        articles = subject.selection(item).qs
        months = subject.monthly(item, articles, now)
        total = sum(months.values())
        paginator = CountedPaginator(
            as_cards(articles.defer("body", "search_vector")), PER_PAGE, count=total
        )
        if number > paginator.num_pages:
            context["notices"] = [
                f"There is no page {number}: these articles fill {paginator.num_pages} "
                f"page{'s' if paginator.num_pages != 1 else ''}."
            ]
            return render(request, "articles/subject_detail.html", context, status=404)
        context.update(
            total=total,
            chart=charts.coverage_chart(months) if months else None,
            most_mentioned=most_mentioned(articles) if total else [],
            page_obj=paginator.page(number),
        )
        return render(request, "articles/subject_detail.html", context)

    view.subject = subject
    return view
