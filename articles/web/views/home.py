"""The home page: the front page of the archive, built from the stored counts."""

import datetime as dt
from collections import Counter

from django.shortcuts import render
from django.utils import timezone

from articles.derived import counts as stored_counts
from articles.derived import parties as party_rule
from articles.models import Article, ArticleCount, Party, PartyMembership, Politician, Topic

from .. import charts
from ..comparison import MAX_SUBJECTS, Selection, Subject
from .browse import as_cards

Dimension = ArticleCount.Dimension
LATEST_ON_HOME = 12
MONTHS_ON_HOME = 12
MOST_COVERED = 10


def _most_covered(counts, limit):
    """The ``limit`` politicians with the highest counts (ties by name), as rows for the page."""
    ranked = Counter(counts).most_common()
    if len(ranked) > limit:
        ranked = [(pk, n) for pk, n in ranked if n >= ranked[limit - 1][1]]
    names = Politician.objects.filter(pk__in=[pk for pk, _ in ranked]).values_list(
        "pk", "slug", "name", "sort_name"
    )
    rows = sorted((-counts[pk], sort_name, name, pk, slug) for pk, slug, name, sort_name in names)
    return [
        {"politician_id": pk, "politician__slug": slug, "politician__name": name, "n": -n}
        for n, _, name, pk, slug in rows[:limit]
    ]


def _with_parties(rows, on):
    """Each row's politician's party on ``on`` (one query)."""
    memberships = party_rule.deciding_memberships(
        PartyMembership.objects.filter(
            politician_id__in=[row["politician_id"] for row in rows]
        ).select_related("party"),
        on,
    )
    party_of = {}
    for membership in memberships:
        party_of.setdefault(membership.politician_id, membership.party)
    for row in rows:
        row["party"] = party_of.get(row["politician_id"])
    return rows


def _ranked(items, counts):
    """``items`` with a count (``coverage``) over the window, most covered first, then by name."""
    for item in items:
        item.coverage = counts.get(item.pk, 0)
    return sorted(items, key=lambda item: (-item.coverage, item.name))


def home(request):
    now = timezone.now()
    latest = list(
        as_cards(Article.objects.published(now).defer("body", "search_vector"))[:LATEST_ON_HOME]
    )
    context = {"latest": latest}
    if not latest:
        return render(request, "articles/home.html", context)
    scheduled = stored_counts.not_yet_public(now)
    every_month = {
        dt.date(y, m, 1): n
        for (y, m), n in stored_counts.monthly(Dimension.ALL, now=now, scheduled=scheduled).items()
    }
    newest = latest[0].published_on  # nothing public is dated later
    axis = charts.Axis(
        charts.add_months(charts.first_of_month(newest), 1 - MONTHS_ON_HOME),
        charts.first_of_month(newest),
    )
    window = [charts.add_months(axis.start, i) for i in range(axis.months)]
    counts = stored_counts.over_months(
        [(m.year, m.month) for m in window],
        [Dimension.POLITICIAN, Dimension.PARTY, Dimension.TOPIC],
        now=now,
        scheduled=scheduled,
    )
    years = Counter()
    for month, n in every_month.items():
        years[month.year] += n
    parties = _ranked(list(Party.objects.all()), counts.get(Dimension.PARTY, {}))
    topics = _ranked(list(Topic.objects.all()), counts.get(Dimension.TOPIC, {}))
    covered_parties = [p for p in parties if p.coverage][:MAX_SUBJECTS]
    context.update(
        since=axis.start,
        newest=newest,
        chart=charts.coverage_chart({m: every_month.get(m, 0) for m in window}, axis),
        total=sum(every_month.values()),
        years=sorted(years.items()),
        covered=_with_parties(
            _most_covered(counts.get(Dimension.POLITICIAN, {}), MOST_COVERED), newest
        ),
        parties=parties,
        topics=[t for t in topics if t.coverage],
        compare=Selection(tuple(Subject("party", p) for p in covered_parties))
        if len(covered_parties) > 1
        else None,
    )
    return render(request, "articles/home.html", context)
