"""Compare coverage: up to five people or parties on one chart, and the series as CSV and JSON."""

import csv
import io

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Party

from .. import charts
from ..comparison import (
    MAX_SUBJECTS,
    NAME_CHARS,
    BadSelection,
    monthly_coverage,
    most_covered,
    read_selection,
    salvage,
)

EXAMPLES = 3
COUNTED = (
    "Published articles per month mentioning each politician, or mentioning a member of each "
    "party on the article's date."
)


def _chart(selection):
    coverage = monthly_coverage(selection.subjects, now=timezone.now())
    return charts.comparison_chart(
        [(s.name, s.url, s.colour, coverage[s]) for s in selection.subjects]
    )


@require_safe
def compare(request):
    parties = list(Party.objects.order_by("name"))
    context = {"parties": parties, "max_subjects": MAX_SUBJECTS, "counted": COUNTED}
    try:
        selection = read_selection(request.GET, parties)
    except BadSelection as error:
        context.update(
            error=str(error),
            selection=salvage(request.GET, parties),
            typed=request.GET.get("add", "")[:NAME_CHARS],
        )
        return render(request, "articles/compare.html", context, status=400)
    if request.GET.get("add") and not selection.notices:
        return redirect(selection.url())
    context["selection"] = selection
    if selection:
        context["chart"] = _chart(selection)
    else:
        context["examples"] = most_covered(EXAMPLES, parties)
    return render(request, "articles/compare.html", context)


def _series(request):
    """(selection, chart) for a data request, or (None, what is wrong with it)."""
    try:
        selection = read_selection(request.GET, list(Party.objects.all()))
    except BadSelection as error:
        return None, str(error)
    if not selection:
        return None, "Name at least one politician or party: ?politician=<slug>&party=<slug>."
    return selection, _chart(selection)


@require_safe
def compare_csv(request):
    selection, chart = _series(request)
    if selection is None:
        return HttpResponseBadRequest(chart + "\n", content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["month", *(f"{s.kind}:{s.slug}" for s in selection.subjects)])
    for month in list(chart.series[0].counts) if chart else []:
        writer.writerow([f"{month:%Y-%m}", *(s.counts[month] for s in chart.series)])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coverage.csv"'
    return response


@require_safe
def compare_json(request):
    selection, chart = _series(request)
    if selection is None:
        return JsonResponse({"error": chart}, status=400)
    months = list(chart.series[0].counts) if chart else []
    lines = chart.series if chart else [None] * len(selection.subjects)
    return JsonResponse(
        {
            "counted": COUNTED,
            "months": [f"{m:%Y-%m}" for m in months],
            "subjects": [
                {
                    "kind": subject.kind,
                    "slug": subject.slug,
                    "name": subject.name,
                    "url": request.build_absolute_uri(subject.url),
                    "colour": line.colour if line else None,
                    "total": line.total if line else 0,
                    "articles": [line.counts[m] for m in months] if line else [],
                }
                for subject, line in zip(selection.subjects, lines, strict=True)
            ],
        }
    )
