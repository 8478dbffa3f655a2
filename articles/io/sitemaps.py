"""Sitemaps for search engines: articles, politicians, parties, topics and sources, with lastmod.

A million articles make 200 pages of the articles' section. Every figure the index and a page
need comes from bounded, indexed queries: the number of pages from the stored monthly counts,
each page from the month it starts in (never stepping over the pages before it), each section's
lastmod from the newest row of an index.
"""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property

from articles.derived import counts
from articles.models import (
    Article,
    ArticleCount,
    ArticleTopic,
    Mention,
    Party,
    Politician,
    Source,
    Topic,
)


class _MonthSeekingPaginator(Paginator):
    """Pages of the public articles, newest first, each read from the month it starts in.

    ``months`` ({(year, month): public articles}, as ``counts.monthly`` gives them) tell how
    many articles come before each month, so a page skips at most the rows of its own month.
    """

    def __init__(self, object_list, per_page, *, months):
        super().__init__(object_list, per_page)
        self.months = months

    @cached_property
    def count(self):
        return sum(self.months.values())

    def page(self, number):
        number = self.validate_number(number)
        if not self.months:  # no public article: the one empty page
            return super().page(number)
        bottom = (number - 1) * self.per_page
        before = 0  # articles in the months newer than the one the page starts in
        for year, month in sorted(self.months, reverse=True):
            if before + self.months[(year, month)] > bottom:
                break
            before += self.months[(year, month)]
        _start, end = counts.month_range(year, month)
        offset = bottom - before
        rows = self.object_list.filter(published_at__lt=end)[offset : offset + self.per_page]
        return self._get_page(rows, number, self)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 1000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at", "-id")
        )

    @cached_property
    def paginator(self):
        everything = [ArticleCount.Dimension.ALL]
        # What the few articles still to come add, for the one dimension read: one query.
        scheduled = Article.objects.filter(status=Article.Status.PUBLISHED)
        scheduled = scheduled.filter(published_at__gt=timezone.now())
        scheduled = counts.contributions(scheduled, dimensions=everything)
        months = counts.monthly(ArticleCount.Dimension.ALL, scheduled=scheduled)
        return _MonthSeekingPaginator(self._items(), self.limit, months=months)

    def lastmod(self, item):
        return timezone.localdate(max(item.published_at, item.updated_at))

    def get_latest_lastmod(self):
        # For the index (sitemap.xml): one aggregate, each maximum the first row of an index.
        latest = Article.objects.published().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        dates = [d for d in latest.values() if d]
        return timezone.localtime(max(dates)) if dates else None


def _newest_mention(mentions):
    """The date of the newest of ``mentions`` (public ones), the first row of a date index."""
    return mentions.order_by("-published_on").values_list("published_on", flat=True).first()


def _newest_mention_of(**outer):
    """The date of the newest public mention of the outer row (``politician`` or ``party``):
    one backward step along the (politician or party, published_on) index per row."""
    return Subquery(
        Mention.objects.public()
        .filter(**{key: OuterRef("pk") for key in outer})
        .order_by("-published_on")
        .values("published_on")[:1]
    )


class PoliticianSitemap(Sitemap):
    changefreq = "weekly"
    limit = 1000

    def items(self):
        return (
            Politician.objects.annotate(newest=_newest_mention_of(politician=True))
            .only("slug")
            .order_by("sort_name", "name", "id")
        )

    def lastmod(self, item):
        return item.newest

    def get_latest_lastmod(self):
        # Every mention is of a politician: the newest of all is the newest of the section.
        return _newest_mention(Mention.objects.public())


class PartySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        newest = _newest_mention_of(party=True)
        return Party.objects.annotate(newest=newest).only("slug").order_by("name")

    def lastmod(self, item):
        return item.newest

    def get_latest_lastmod(self):
        return _newest_mention(Mention.objects.public().filter(party__isnull=False))


def _newest_article(articles):
    return articles.order_by("-published_at").values_list("published_at", flat=True).first()


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # Per topic, the newest public article walking the (status, date) index back, each
        # looked up in the (topic, article) index: not every tagged article joined and grouped.
        newest = Article.objects.published().filter(topics=OuterRef("pk"))
        newest = newest.order_by("-published_at", "-id").values("published_at")[:1]
        return Topic.objects.annotate(newest=Subquery(newest)).order_by("name")

    def lastmod(self, item):
        return timezone.localdate(item.newest) if item.newest else None

    def get_latest_lastmod(self):
        tagged = ArticleTopic.objects.filter(article=OuterRef("pk"))
        newest = _newest_article(Article.objects.published().filter(Exists(tagged)))
        return timezone.localtime(newest) if newest else None


class SourceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # One backward step along the (source, date) index per source.
        newest = Article.objects.published().filter(source=OuterRef("pk"))
        newest = newest.order_by("-published_at").values("published_at")[:1]
        return Source.objects.annotate(newest=Subquery(newest)).only("slug").order_by("name")

    def lastmod(self, item):
        return timezone.localdate(item.newest) if item.newest else None

    def get_latest_lastmod(self):
        newest = _newest_article(Article.objects.published())  # every article has a source
        return timezone.localtime(newest) if newest else None


sitemaps = {
    "articles": ArticleSitemap,
    "politicians": PoliticianSitemap,
    "parties": PartySitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
