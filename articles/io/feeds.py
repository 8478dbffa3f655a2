"""RSS 2.0 and Atom feeds: all articles, a browser search, a politician, a party, a topic."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from articles.models import Article, Party, Politician, Topic
from articles.web.templatetags.archive_tags import http_url

from .exports.common import (
    BadQuery,
    browser_filter,
    parties_of,
    politicians_of,
    summary,
    topics_of,
    with_export_relations,
)

FEED_LENGTH = 50
XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


class RssWithSource(Rss201rev2Feed):
    """RSS 2.0 whose items name their source (``<source url="…">Name</source>``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("source_name"):
            handler.addQuickElement(
                "source", item["source_name"], {"url": item["source_url"] or item["link"]}
            )


class AtomWithSource(Atom1Feed):
    """Atom whose entries name their source (``<source><title>Name</title>…</source>``)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("source_name"):
            handler.startElement("source", {})
            handler.addQuickElement("title", item["source_name"])
            if item["source_url"]:
                handler.addQuickElement("link", "", {"href": item["source_url"]})
            handler.endElement("source")


class ArticleFeed(Feed):
    """All published articles, newest first; subclasses narrow the selection."""

    feed_type = RssWithSource

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except BadQuery as error:
            return HttpResponseBadRequest(
                f"Invalid query: {error}", content_type="text/plain; charset=utf-8"
            )

    def title(self, obj=None):
        return settings.ARCHIVE_NAME

    def description(self, obj=None):
        return f"The latest articles in the {settings.ARCHIVE_NAME}."

    def link(self, obj=None):
        return reverse("articles:list")

    def author_name(self, obj=None):
        return settings.ARCHIVE_NAME

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return with_export_relations(self.articles(obj))[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return escape(summary(item))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.published_at, item.updated_at)

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        names = [p.name for p in politicians_of(item)]
        names += [p.name for p in parties_of(item)]
        names += [t.name for t in topics_of(item)]
        return list(dict.fromkeys(names))

    def item_extra_kwargs(self, item):
        return {"source_name": item.source.name, "source_url": http_url(item.source.homepage)}


class SearchFeed(ArticleFeed):
    """Articles selected by the browser's query parameters: ``/feeds/articles/?q=brexit``."""

    def get_object(self, request, *args, **kwargs):
        params = request.GET.copy()
        params.pop("page", None)
        if any(XML_CONTROL.search(value) for _, values in params.lists() for value in values):
            raise BadQuery({"query": ["control characters cannot appear in a feed."]})
        return browser_filter(params)

    def title(self, obj):
        if not obj.is_filtered():
            return super().title()
        return f"{obj.description()} · {settings.ARCHIVE_NAME}"

    def link(self, obj):
        return reverse("articles:list") + obj.url().rstrip("?")

    def articles(self, obj):
        return obj.qs


class PoliticianFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Politician, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.ARCHIVE_NAME}"

    def description(self, obj):
        return f"The latest articles mentioning {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().mentioning(obj)


class PartyFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Party, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.ARCHIVE_NAME}"

    def description(self, obj):
        return f"The latest articles mentioning members of the {obj.name} (on the article's date)."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().in_party(obj)


class TopicFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"{obj.name} · {settings.ARCHIVE_NAME}"

    def description(self, obj):
        return f"The latest articles about {obj.name}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().about(obj)


def atom(feed_class):
    """The Atom variant of an RSS feed class."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": AtomWithSource})
