"""Download views: Popolo JSON, CSV of a browser result, a politician's TimelineJS data and page."""

from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.models import Politician

from .common import BadQuery, browser_articles
from .csv import csv_chunks
from .popolo import build_popolo
from .timeline_js import build_timeline


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@cache_control(public=True, max_age=3600)
def popolo_json(request):
    document = build_popolo(base_url=_base_url(request))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'inline; filename="popolo.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def articles_csv(request):
    try:
        articles = browser_articles(request.GET)
    except BadQuery as error:
        return HttpResponseBadRequest(
            f"Invalid query: {error}", content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(
        csv_chunks(articles, base_url=_base_url(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="articles.csv"'
    return response


@require_safe
@cache_control(public=True, max_age=600)
def politician_timeline_json(request, slug):
    politician = get_object_or_404(Politician, slug=slug)
    response = JsonResponse(build_timeline(politician))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def politician_timeline(request, slug):
    politician = get_object_or_404(Politician, slug=slug)
    data_url = reverse("exports:timeline-json", kwargs={"slug": politician.slug})
    return render(
        request,
        "exports/timeline.html",
        {"politician": politician, "data_url": data_url},
    )


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap_url}, content_type="text/plain")
