"""The read-only endpoints: articles, politicians, parties, topics, sources."""

import datetime as dt
import re

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError

from articles.derived import parties
from articles.facets.counting import facet_counts
from articles.models import Article, Party, PartyMembership, Politician, Source, Topic
from articles.web import timeline

from ..exports.common import BadQuery, browser_filter, with_export_relations
from . import serialisers
from .pagination import paginate
from .schemas import (
    SLUG_PATTERN,
    ArticleOut,
    ArticlePage,
    ArticleQuery,
    ErrorOut,
    PageQuery,
    PartyDetail,
    PartyOut,
    PoliticianDetail,
    PoliticianPage,
    PoliticianQuery,
    SourceOut,
    TopicOut,
)

router = Router()
ROUTE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the ``slug`` path converter accepts
ERRORS = {400: ErrorOut, 404: ErrorOut}
SlugPath = Path(..., pattern=SLUG_PATTERN, max_length=200)


def _memberships():
    return Prefetch(
        "memberships",
        queryset=PartyMembership.objects.select_related("party").order_by(
            *parties.DECIDING_ORDER  # newest first
        ),
    )


@router.get("/articles/", response={200: ArticlePage, **ERRORS}, tags=["articles"])
def list_articles(request, filters: Query[ArticleQuery], paging: Query[PageQuery]):
    """Published articles, filtered like the article browser (``/articles/?…``), with facets."""
    params = request.GET.copy()
    for key in ("page", "page_size"):
        params.pop(key, None)
    try:
        filterset = browser_filter(params)
    except BadQuery as error:
        raise HttpError(400, f"Invalid query: {error}") from None
    counts = facet_counts(filterset)  # also the number of results: no separate COUNT
    result = paginate(
        request,
        with_export_relations(filterset.qs),
        page=paging.page,
        page_size=paging.page_size,
        serialise=lambda items: [serialisers.article(request, a) for a in items],
        count=counts.total,
    )
    if counts.total_estimated:  # pages were counted from an estimate
        result["count_is_estimate"] = True
        if paging.page > 1 and not result["results"]:
            raise HttpError(404, f"Page {paging.page} is past the end of the results.")
        if len(result["results"]) < paging.page_size:
            result["next"] = None
    result["facets"] = {
        facet.name: [
            {
                "value": o.value,
                "label": o.label,
                "count": o.count,
                "selected": o.selected,
                "estimate": o.estimate,
            }
            for o in facet.options
        ]
        for facet in counts.facets
    }
    return result


@router.get("/articles/{article_id}/", response={200: ArticleOut, **ERRORS}, tags=["articles"])
def get_article(request, article_id: int = Path(..., ge=1, le=2**62)):
    """One published article."""
    item = get_object_or_404(with_export_relations(Article.objects.published()), pk=article_id)
    return serialisers.article(request, item)


@router.get("/politicians/", response={200: PoliticianPage, **ERRORS}, tags=["politicians"])
def list_politicians(request, filters: Query[PoliticianQuery], paging: Query[PageQuery]):
    """Politicians by sort name, with their current party."""
    today = timezone.localdate()
    politicians = Politician.objects.search(filters.q or "").prefetch_related(_memberships())
    if filters.party:
        members = PartyMembership.objects.current().filter(party__slug=filters.party)
        politicians = politicians.filter(pk__in=members.values("politician"))
    return paginate(
        request,
        politicians.order_by("sort_name", "name", "id"),
        page=paging.page,
        page_size=paging.page_size,
        serialise=lambda items: [serialisers.politician(request, p, today) for p in items],
    )


@router.get(
    "/politicians/{slug}/", response={200: PoliticianDetail, **ERRORS}, tags=["politicians"]
)
def get_politician(request, slug: str = SlugPath):
    item = get_object_or_404(
        Politician.objects.prefetch_related(_memberships(), "other_names"), slug=slug
    )
    coverage = timeline.politician_monthly_counts(item)
    memberships = sorted(item.memberships.all(), key=lambda m: (m.start_date or dt.date.min, m.pk))
    return {
        **serialisers.politician(request, item, timezone.localdate()),
        "given_name": item.given_name,
        "family_name": item.family_name,
        "birth_date": item.birth_date,
        "death_date": item.death_date,
        "biography": item.biography,
        "image_url": item.image_url,
        "wikidata_id": item.wikidata_id,
        "other_names": [
            {"name": o.name, "note": o.note, **serialisers.dated(o)} for o in item.other_names.all()
        ],
        "memberships": [
            {"party": serialisers.party_ref(request, m.party), **serialisers.dated(m)}
            for m in memberships
        ],
        "roles": [
            {"title": r.title, "organisation": r.organisation, **serialisers.dated(r)}
            for r in item.roles.order_by("start_date", "id")
        ],
        "coverage": [
            {"month": month.strftime("%Y-%m"), "articles": n} for month, n in coverage.items()
        ],
        "feed_url": request.build_absolute_uri(reverse("feeds:politician", args=[item.slug])),
        "timeline_url": request.build_absolute_uri(
            reverse("exports:timeline-json", args=[item.slug])
        ),
    }


@router.get("/parties/", response={200: list[PartyOut], **ERRORS}, tags=["parties"])
def list_parties(request):
    return [serialisers.party(request, p) for p in Party.objects.order_by("name")]


def _politician_url(request):
    """A function from a politician's slug to their page's absolute URL, for many politicians.

    The route is reversed once and the slug put in its place: the same URL ``reverse`` gives for
    any slug the route accepts (nothing in one needs quoting).
    """
    marker = "politician-slug"
    head, tail = request.build_absolute_uri(
        reverse("articles:politician", kwargs={"slug": marker})
    ).rsplit(marker, 1)

    def url(slug):
        if ROUTE_SLUG.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return request.build_absolute_uri(reverse("articles:politician", kwargs={"slug": slug}))

    return url


@router.get("/parties/{slug}/", response={200: PartyDetail, **ERRORS}, tags=["parties"])
def get_party(request, slug: str = SlugPath):
    """A party with its members past and present."""
    item = get_object_or_404(Party, slug=slug)
    members = item.memberships.order_by(
        "politician__sort_name", "politician__name", "start_date", "id"
    ).values_list("politician__slug", "politician__name", "start_date", "end_date")
    url = _politician_url(request)
    return {
        **serialisers.party(request, item),
        "description": item.description,
        "members": [
            {
                "politician": {"slug": slug, "name": name, "url": url(slug)},
                "start_date": start_date,
                "end_date": end_date,
            }
            for slug, name, start_date, end_date in members
        ],
        "feed_url": request.build_absolute_uri(reverse("feeds:party", args=[item.slug])),
    }


def _published_count(prefix):
    return Count(
        f"{prefix}",
        filter=Q(
            **{
                f"{prefix}__status": Article.Status.PUBLISHED,
                f"{prefix}__published_at__lte": timezone.now(),
            }
        ),
        distinct=True,
    )


@router.get("/topics/", response={200: list[TopicOut], **ERRORS}, tags=["topics"])
def list_topics(request):
    topics = Topic.objects.annotate(count=_published_count("articles")).order_by("name")
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "url": request.build_absolute_uri(t.get_absolute_url()),
            "articles": t.count,
        }
        for t in topics
    ]


@router.get("/sources/", response={200: list[SourceOut], **ERRORS}, tags=["sources"])
def list_sources(request):
    sources = Source.objects.annotate(count=_published_count("articles")).order_by("name")
    return [
        {
            "slug": s.slug,
            "name": s.name,
            "url": request.build_absolute_uri(s.get_absolute_url()),
            "homepage": s.homepage,
            "articles": s.count,
        }
        for s in sources
    ]
