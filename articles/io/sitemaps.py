"""Sitemaps for search engines: articles, politicians, parties, topics and sources, with lastmod."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, Mention, Party, Politician, Source, Topic


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return max(item.published_at, item.updated_at)

    def get_latest_lastmod(self):
        # For the index (sitemap.xml): one aggregate, not every article read into memory.
        latest = Article.objects.published().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        dates = [d for d in latest.values() if d]
        return max(dates) if dates else None


def _newest_public(prefix):
    """The date of the newest article readers can see, reached through ``prefix``."""
    return Max(
        f"{prefix}published_at",
        filter=Q(
            **{
                f"{prefix}status": Article.Status.PUBLISHED,
                f"{prefix}published_at__lte": timezone.now(),
            }
        ),
    )


def _newest_mention(**outer):
    """The date of the newest public mention of the outer row (``politician`` or ``party``):
    one backward step along the (politician or party, published_on) index per row."""
    return Subquery(
        Mention.objects.public()
        .filter(**{key: OuterRef("pk") for key in outer})
        .order_by("-published_on")
        .values("published_on")[:1]
    )


class _NewestOfItems(Sitemap):
    """The index's lastmod of a section: the newest of its items' (those with none left out)."""

    def get_latest_lastmod(self):
        dates = [d for d in (self.lastmod(item) for item in self.items()) if d]
        return max(dates) if dates else None


class PoliticianSitemap(_NewestOfItems):
    changefreq = "weekly"

    def items(self):
        newest = _newest_mention(politician=True)
        return (
            Politician.objects.annotate(newest=newest)
            .only("slug")
            .order_by("sort_name", "name", "id")
        )

    def lastmod(self, item):
        return item.newest


class PartySitemap(_NewestOfItems):
    changefreq = "weekly"

    def items(self):
        newest = _newest_mention(party=True)
        return Party.objects.annotate(newest=newest).only("slug").order_by("name")

    def lastmod(self, item):
        return item.newest


class TopicSitemap(_NewestOfItems):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.annotate(newest=_newest_public("articles__")).order_by("name")

    def lastmod(self, item):
        return item.newest


class SourceSitemap(_NewestOfItems):
    changefreq = "weekly"

    def items(self):
        # One backward step along the (source, date) index per source.
        newest = Subquery(
            Article.objects.published()
            .filter(source=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return Source.objects.annotate(newest=newest).only("slug").order_by("name")

    def lastmod(self, item):
        return item.newest


sitemaps = {
    "articles": ArticleSitemap,
    "politicians": PoliticianSitemap,
    "parties": PartySitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
