"""Sitemaps for search engines: articles, politicians, parties and topics, with lastmod."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import Article, Mention, Party, Politician, Topic


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


class PoliticianSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        newest = (
            Mention.objects.public()
            .filter(politician=OuterRef("pk"))
            .order_by("-article__published_at")
            .values("article__published_at")[:1]
        )
        return (
            Politician.objects.annotate(newest=Subquery(newest))
            .only("slug")
            .order_by("sort_name", "name", "id")
        )

    def lastmod(self, item):
        return item.newest


class PartySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        newest = (
            Mention.objects.public()
            .filter(party=OuterRef("pk"))
            .order_by("-article__published_at")
            .values("article__published_at")[:1]
        )
        return Party.objects.annotate(newest=Subquery(newest)).only("slug").order_by("name")

    def lastmod(self, item):
        return item.newest


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.annotate(newest=_newest_public("articles__")).order_by("name")

    def lastmod(self, item):
        return item.newest


sitemaps = {
    "articles": ArticleSitemap,
    "politicians": PoliticianSitemap,
    "parties": PartySitemap,
    "topics": TopicSitemap,
}
