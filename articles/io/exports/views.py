"""Download views: Popolo JSON, CSV of a browser result, a politician's TimelineJS data and page."""

from django.conf import settings
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.models import Politician
from articles.web.revalidation import revalidated
from newsroom.middleware import client_ip

from .common import BadQuery, browser_filter
from .csv import csv_chunks, export_filename
from .dump import DUMP_NAMES, latest_dump
from .popolo import build_popolo
from .slots import ExportsBusy, StreamHoldingSlot, take_slot
from .timeline_js import build_timeline


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@revalidated
def popolo_json(request):
    document = build_popolo(base_url=_base_url(request))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'inline; filename="popolo.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def articles_csv(request):
    try:
        filterset = browser_filter(request.GET)
    except BadQuery as error:
        return HttpResponseBadRequest(
            f"Invalid query: {error}", content_type="text/plain; charset=utf-8"
        )
    try:
        slot = take_slot(client_ip(request))
    except ExportsBusy as busy:
        response = HttpResponse(str(busy), status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(busy.retry_after)
        return response
    response = StreamingHttpResponse(
        StreamHoldingSlot(csv_chunks(filterset.qs, base_url=_base_url(request)), slot),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(filterset)}"'
    return response


@require_safe
@cache_control(no_cache=True)  # a new dump is no change to the archive: not for the page cache
def dumps(request):
    files = [
        {
            "name": name,
            "size": size,
            "modified": modified,
            "url": reverse("exports:dump-file", args=[name]),
        }
        for name, size, modified in latest_dump(settings.EXPORT_DUMP_DIR)
    ]
    return render(request, "exports/dumps.html", {"files": files})


@require_safe
@cache_control(no_cache=True)  # a 404 before the first dump must not outlive it in the cache
def dump_file(request, name):
    path = settings.EXPORT_DUMP_DIR / name
    if name not in DUMP_NAMES or not path.is_file():
        return HttpResponseNotFound(
            "No such dump file (yet): see /export/dumps/.", content_type="text/plain; charset=utf-8"
        )
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/gzip"
    )
    return response


@require_safe
@revalidated
def politician_timeline_json(request, slug):
    politician = get_object_or_404(Politician, slug=slug)
    response = JsonResponse(build_timeline(politician, base_url=_base_url(request)))
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
