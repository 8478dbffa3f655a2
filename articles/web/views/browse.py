"""Readers' pages for articles: the browser and an article."""

import datetime as dt
import re

from django.db import connections
from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.facets.counting import facet_counts
from articles.facets.filters import ArticleFilter, Sort
from articles.io.exports.common import summary, with_summary_text
from articles.models import (
    Article,
    Mention,
    Source,
)

from ..paging import CountedPaginator, SeekingPaginator
from ..similar import politicians_named
from ..templatetags.archive_tags import MARK_START, MARK_STOP, http_url

PER_PAGE = 20
RELATED = 5
DESCRIPTION_CHARS = 200  # meta and og:description
RELATED_WINDOW = dt.timedelta(days=90)  # articles from around the same time


def mentions_in_order():
    """Confirmed mentions with their politician and party, subjects first."""
    return Mention.objects.confirmed().select_related("politician", "party").in_role_order()


def as_cards(articles):
    """Articles ready for the ``article_cards`` tag (two queries however many)."""
    mentions = mentions_in_order().only(  # what a card shows of each person and party
        "article",
        "politician__name",
        "politician__slug",
        "politician__sort_name",
        "party__name",
        "party__short_name",
        "party__slug",
        "party__colour",
    )
    return with_summary_text(articles.select_related("source")).prefetch_related(
        Prefetch("mentions", queryset=mentions, to_attr="public_mentions")
    )


def article_list(request):
    filterset = ArticleFilter(request.GET)
    context = {"filterset": filterset, "title": filterset.description()}
    if not filterset.is_valid():
        context.update(notices=filterset.notices(), clean_url=filterset.url_without_errors())
        return render(request, "articles/list.html", context, status=400)

    counts = facet_counts(filterset)
    articles = as_cards(filterset.qs)
    if filterset.value("q"):
        context["named"] = politicians_named(filterset.value("q"))
    if counts.months is not None and filterset.sort_order != Sort.RELEVANCE:
        oldest_first = filterset.sort_order == Sort.OLDEST
        paginator = SeekingPaginator(
            articles, PER_PAGE, count=counts.total, months=counts.months, oldest_first=oldest_first
        )
    else:
        paginator = CountedPaginator(articles, PER_PAGE, count=counts.total)
    context.update(counts=counts, paginator=paginator, chips=filterset.chips())

    page = request.GET.get("page", "1").strip() or "1"
    if not re.fullmatch(r"\d+", page) or int(page) < 1:
        context["notices"] = [f"“{page[:20]}” is not a page number; pages are numbered from 1."]
        context["clean_url"] = filterset.url()
        return render(request, "articles/list.html", context, status=400)
    if int(page) > paginator.num_pages:
        context["notices"] = [
            f"There is no page {page[:20]}: these results fill {paginator.num_pages} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        ]
        context["clean_url"] = filterset.url()
        context["last_page_url"] = filterset.url(page=[paginator.num_pages])
        return render(request, "articles/list.html", context, status=404)
    context["page_obj"] = page_obj = paginator.page(int(page))
    if counts.total_estimated:  # pages are counted from an estimate: one may be past the end
        page_obj.object_list = list(page_obj.object_list)
        shown = len(page_obj.object_list)
        if not shown and page_obj.number > 1:
            context["notices"] = [f"There is no page {page_obj.number}: the results end before it."]
            context["clean_url"] = filterset.url()
            del context["page_obj"]
            return render(request, "articles/list.html", context, status=404)
        if shown < PER_PAGE:  # the last page: the total is now known exactly
            counts.total = (page_obj.number - 1) * PER_PAGE + shown
            counts.total_estimated = False
            paginator.correct_count(counts.total)
    if filterset.value("q"):
        page_obj.object_list = filterset.backend.add_snippets(
            list(page_obj.object_list), filterset.value("q"), start=MARK_START, stop=MARK_STOP
        )
    return render(request, "articles/list.html", context)


def related_articles(article, politician_ids):
    """Articles sharing the most politicians with ``article``, from RELATED_WINDOW either side
    of its date."""
    if not politician_ids:
        return []
    on = article.published_on
    # Counted over narrow mention rows without touching the article table; the mention's date
    # orders like the article's time, so the top rows plus any tied with the last one hold
    # the answer, and only those articles are ordered exactly. COUNT(*) rather than COUNT(id):
    # every column read is in mention_confirmed_person, so PostgreSQL answers from that index
    # alone instead of visiting a table page per mention.
    rows = (
        Mention.objects.public()
        .filter(
            politician__in=politician_ids,
            published_on__range=(on - RELATED_WINDOW, on + RELATED_WINDOW),
        )
        .exclude(article=article)
        .values("article")
        .annotate(shared=Count("*"), on=Max("published_on"))
        .order_by("-shared", "-on")
    )
    found = _leading_articles(rows[: RELATED * 10])
    if len(found) == RELATED * 10:  # the ties with the last place run on past the rows fetched
        found = _leading_articles(rows.order_by())
    return sorted(found, key=lambda a: (-a.shared, -a.published_at.timestamp(), -a.pk))[:RELATED]


RELATED_FIELDS = ["id", "headline", "slug", "published_at", "source"]  # what the page shows


def _leading_articles(rows):
    """The articles of the first RELATED grouped mention ``rows`` (article, shared, on) and of
    any tied with the last of them, each with its ``shared`` and source, in one statement.

    The rows are ranked by (shared, on) and only those placed RELATED or better are joined to
    their articles and sources, as ``facets._ranked`` joins narrow grouped rows afterwards.
    RANK() gives tied rows the same place, so all ``rows`` come back only when the ties with
    the last place run to the end of them.
    """
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    sql, params = rows.query.sql_with_params()
    article, source = Article._meta, Source._meta
    columns = ", ".join(f"item.{quote(article.get_field(name).column)}" for name in RELATED_FIELDS)
    name, slug = (quote(source.get_field(field).column) for field in ("name", "slug"))
    shared, on = quote("shared"), quote("on")
    query = (
        f"SELECT {columns}, src.{name} AS source_name, src.{slug} AS source_slug, "
        f"ranked.{shared} AS shared FROM (SELECT grouped.*, RANK() OVER (ORDER BY "
        f"grouped.{shared} DESC, grouped.{on} DESC) AS place FROM ({sql}) grouped) ranked "
        f"JOIN {quote(article.db_table)} item "
        f"ON item.{quote(article.pk.column)} = ranked.{quote('article')} "
        f"JOIN {quote(source.db_table)} src "
        f"ON src.{quote(source.pk.column)} = item.{quote(article.get_field('source').column)} "
        f"WHERE ranked.place <= {int(RELATED)}"
    )
    found = list(Article.objects.raw(query, params).using(rows.db))
    for candidate in found:
        candidate.source = Source.from_db(
            rows.db,
            [source.pk.attname, "name", "slug"],
            [candidate.source_id, candidate.source_name, candidate.source_slug],
        )
    return found


def article_mentions(article):
    """The article's confirmed mentions with their politician and party, in the order of
    ``mentions_in_order()``: by name in SQL (the database's collation), then by role in Python,
    a stable sort keeping the name order within each role (cheaper to build than the CASE)."""
    mentions = list(
        Mention.objects.confirmed()
        .filter(article=article)
        .select_related("politician", "party")
        .order_by("politician__sort_name", "politician__name")
    )
    mentions.sort(key=lambda mention: Mention.role_rank(mention.role))
    return mentions


def article_detail(request, year, month, day, slug):
    if not (re.fullmatch(r"\d\d", month) and re.fullmatch(r"\d\d", day)):
        raise Http404("No such article.")
    try:
        on = dt.date(year, int(month), int(day))
    except (ValueError, OverflowError):
        raise Http404("No such article.") from None
    article = get_object_or_404(Article.objects.published().select_related("source"), slug=slug)
    if article.published_on != on:
        raise Http404("No such article on that date.")
    mentions = article_mentions(article)
    topics = list(article.topics.all())
    canonical = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "articles/detail.html",
        {
            "article": article,
            "mentions": mentions,
            "topics": topics,
            "related": related_articles(article, [m.politician_id for m in mentions]),
            "list_url": reverse("articles:list"),
            "canonical": canonical,
            "summary": summary(article, limit=DESCRIPTION_CHARS),
            "structured_data": news_article_data(request, article, mentions, topics, canonical),
        },
    )


def news_article_data(request, article, mentions, topics, canonical):
    """schema.org NewsArticle for search engines; mentioned politicians are Persons."""

    def person(mention):
        politician = mention.politician
        data = {
            "@type": "Person",
            "name": politician.name,
            "url": request.build_absolute_uri(politician.get_absolute_url()),
        }
        if politician.wikidata_id:
            data["sameAs"] = f"https://www.wikidata.org/wiki/{politician.wikidata_id}"
        if mention.party:
            data["affiliation"] = {"@type": "Organization", "name": mention.party.name}
        return data

    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "url": canonical,
        "mainEntityOfPage": canonical,
        "publisher": {"@type": "Organization", "name": article.source.name},
    }
    if description := summary(article):
        data["description"] = description
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if http_url(article.url):
        data["isBasedOn"] = article.url
    if topics:
        data["keywords"] = [topic.name for topic in topics]
    subjects = [person(m) for m in mentions if m.role == Mention.Role.SUBJECT]
    others = [person(m) for m in mentions if m.role != Mention.Role.SUBJECT]
    if subjects:
        data["about"] = subjects
    if others:
        data["mentions"] = others
    return data
