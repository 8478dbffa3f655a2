"""Disjunctive facet counts for the article browser.

Each facet's options are counted over the articles selected by all the *other* filters, with one
grouped query per facet (never a query per option). The number shown next to an option is the
number of articles the reader gets by following its link:

* in a facet with nothing selected, following an option selects it: the count is the number of
  articles (among those the other filters select) that match the option;
* in a facet with a selection, following an option adds it (values of one facet are OR-ed): the
  count is the current total plus the articles the option would add; options that would add
  nothing are left out.

With ``together=1`` the chosen politicians are AND-ed instead ("who appears together"): the
politician facet then lists the people the selected articles also mention, each with the number
of them that do, which is again what following the option gives.

Years and months are single choices; their counts also give the total number of results, so the
browser needs no separate COUNT query.

A facet that would count more than ``settings.FACET_EXACT_UP_TO`` articles is counted on the facet
sample instead (``articles/facets/estimates.py``) and its figures say "about".
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.formats import date_format

from articles.derived import counts as article_counts
from articles.models import Article, ArticleCount, Party, Politician

from .estimates import Estimates, about
from .spec import FACETS, POLITICIAN

Dimension = ArticleCount.Dimension


@dataclass
class Option:
    value: str
    label: str
    url: str
    count: int | None = None
    selected: bool = False
    party: Party | None = None
    estimate: bool = False  # the count is rounded from the facet sample ("about")


@dataclass
class Facet:
    name: str
    title: str
    options: list[Option] = field(default_factory=list)
    adding: bool = False  # counts say what adding the option gives (the facet has a selection)
    more_url: str | None = None
    fewer_url: str | None = None
    estimated: bool = False


@dataclass
class FacetCounts:
    total: int
    facets: list[Facet]
    total_estimated: bool = False
    # {(year, month): articles selected}, when known exactly (for seeking deep pages).
    months: dict | None = None

    def facet(self, name):
        return next((f for f in self.facets if f.name == name), None)


def facet_counts(filterset, *, politician_limit=None):
    """The total number of results and every facet's options for a valid ``ArticleFilter``."""
    if filterset.only_dates_chosen():
        return _stored_facet_counts(filterset, politician_limit)
    estimates = Estimates.of(filterset)
    years, total, estimated = _year_rows(filterset, estimates)
    total_estimated = estimated and estimates.large("selection")
    if estimated and not total_estimated:  # a small selection is counted exactly
        total = _others(filterset, None, estimates).count()
    facets = [
        _counted(filterset, facet, total, estimates, _limit(filterset, facet, politician_limit))
        for facet in FACETS
    ]
    facets.append(_years(filterset, years, estimated))
    if filterset.value("year"):
        facets.append(_months(filterset, years, estimated))
    months = None if estimated else _selected_months(filterset, years)
    return FacetCounts(total=total, facets=facets, total_estimated=total_estimated, months=months)


def _selected_months(filterset, years):
    """The monthly counts of the articles selected: those of the chosen year and month."""
    year, month = filterset.value("year"), filterset.value("month")
    return {
        (y, m): n
        for (y, m), n in years.items()
        if (not year or y == year) and (not month or m == month) and n > 0
    }


def _sampled(filterset, estimates, facet, dimension, *, within_selection, limit=None):
    """{key: estimated articles} for ``facet`` counted on the sample, or None when what it
    counts (the selection itself, or every article the other filters select) is small enough
    to count exactly."""
    if estimates is None or not estimates.large("selection" if within_selection else facet):
        return None
    if within_selection:  # stored totals less what the selection holds
        held = estimates.counts(filterset.sample(), dimension)
        return _stored_minus_selection(filterset, facet, held, limit)
    without = filterset.FACETS[facet]
    samples = filterset.sample(without=without)
    selected = filterset.selected(facet)
    if not selected:
        return estimates.counts(samples, dimension)
    # What each option adds: sampled articles with none of the selected values.
    having = filterset.filter_facet(filterset.sampled, facet, selected)
    return estimates.counts(samples.excluding(having), dimension)


def _others(filterset, facet, estimates):
    """The articles every filter except ``facet``'s selects (all filters if ``facet`` is None).

    On a large archive only sets the sample found small are counted exactly: each is read
    once as a list of ids and reused by every facet that counts it.
    """
    without = filterset.FACETS[facet] if facet else ()
    if estimates is None:
        return filterset.articles(without=without)
    return Article.objects.filter(pk__in=estimates.ids(without))


def _ranked(model, grouped, key, order, limit=None):
    """Objects of ``model`` with their count ``n`` from ``grouped`` (rows of ``key`` and ``n``).

    The counting query groups by id alone and the names are joined afterwards: grouping and
    sorting narrow rows is what keeps these queries fast on a large archive.
    """
    connection = connections[grouped.db]
    quote = connection.ops.quote_name
    try:
        sql, params = grouped.order_by().query.sql_with_params()
    except EmptyResultSet:  # e.g. counted over an empty list of ids
        return []
    order_sql = ", ".join(f"item.{quote(field)}" for field in order)
    query = (
        f"SELECT item.*, grouped.n AS n FROM ({sql}) grouped "
        f"JOIN {quote(model._meta.db_table)} item ON item.{quote(model._meta.pk.column)} "
        f"= grouped.{quote(key)} ORDER BY grouped.n DESC, {order_sql}"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    return list(model.objects.raw(query, params))


def _limit(filterset, facet, politician_limit=None):
    """How many options of ``facet`` are shown (None: all of them)."""
    if facet.limit is None:
        return None
    if facet is POLITICIAN and politician_limit:
        return politician_limit
    return facet.limit_all if filterset.value("show") == facet.show else facet.limit


def _multi_facet(filterset, spec, ranked, total, estimated=False):
    """Options of a facet whose values are OR-ed, from objects counted by ``_ranked``."""
    name = spec.name
    selected = filterset.selected(name)
    facet = Facet(name=name, title=spec.title, adding=bool(selected), estimated=estimated)
    for obj, chosen in [(obj, True) for obj in selected] + [(obj, False) for obj in ranked]:
        count = None if chosen else total + obj.n if selected else obj.n
        if count is not None and estimated:
            count = about(count)
        facet.options.append(
            Option(
                value=obj.slug,
                label=obj.name,
                url=filterset.url_toggling(name, obj.slug),
                count=count,
                selected=chosen,
                party=obj if isinstance(obj, Party) else None,
                estimate=estimated and not chosen,
            )
        )
    return facet


def _shown(filterset, spec, facet, found, limit):
    """``facet`` with links to more or fewer of its ``found`` options, when it has a limit."""
    if limit is None:
        return facet
    shows_all = filterset.value("show") == spec.show
    if found > limit and not shows_all:
        facet.more_url = filterset.url(show=[spec.show])
    if shows_all:
        facet.fewer_url = filterset.url(show=None)
    return facet


def _counted(filterset, spec, total, estimates, limit):
    """The options of facet ``spec``, counted exactly, from the stored counts less what the
    selection holds, or on the sample, whichever the sizes call for."""
    selected = filterset.selected(spec.name)
    role = filterset.value("role") if spec is POLITICIAN else None
    if selected and spec is POLITICIAN and filterset.all_together:
        return _shown(
            filterset,
            spec,
            _appearing_together(filterset, selected, role, limit, estimates),
            0,
            limit,
        )
    conditions = {"role": role} if role else {}
    wanted = None if limit is None else limit + 1
    within_selection = bool(selected) and not role and filterset.only_facet_chosen(spec.name)
    estimated = _sampled(
        filterset,
        estimates,
        spec.name,
        role or spec.name,
        within_selection=within_selection,
        limit=wanted,
    )
    if estimated is not None:
        ranked = _ranked_from(spec.model, estimated, spec.order, wanted)
    elif within_selection:
        within = spec.link.grouped(_others(filterset, None, estimates))
        counts = _stored_minus_selection(filterset, spec.name, within, wanted)
        ranked = _ranked_from(spec.model, counts, spec.order, wanted)
    else:
        articles = _others(filterset, spec.name, estimates)
        if selected:
            articles = articles.exclude(spec.link.having(selected, **conditions))
        grouped = spec.link.grouped(articles, **conditions)
        ranked = _ranked(spec.model, grouped, "key", spec.order, wanted)
    facet = _multi_facet(filterset, spec, ranked[:limit], total, estimated is not None)
    return _shown(filterset, spec, facet, len(ranked), limit)


def _appearing_together(filterset, selected, role, limit, estimates):
    """The politician facet with ``together``: the people the selected articles mention, each
    with the number of them that mention that person too (what adding them gives)."""
    spec = POLITICIAN
    estimated = estimates is not None and estimates.large("selection")
    if estimated:
        counts = estimates.counts(filterset.sample(), role or spec.name)
        for politician in selected:
            counts.pop(politician.pk, None)
        ranked = _ranked_from(Politician, counts, spec.order, limit + 1)
    else:
        articles = _others(filterset, None, estimates)
        grouped = spec.link.grouped(articles, **({"role": role} if role else {}))
        grouped = grouped.exclude(politician__in=selected)
        ranked = _ranked(Politician, grouped, "key", spec.order, limit + 1)
    facet = Facet(name=spec.name, title=spec.title, adding=True, estimated=estimated)
    for politician in selected:
        url = filterset.url_toggling(spec.name, politician.slug)
        facet.options.append(Option(politician.slug, politician.name, url, selected=True))
    for politician in ranked[:limit]:
        facet.options.append(
            Option(
                value=politician.slug,
                label=politician.name,
                url=filterset.url_toggling(spec.name, politician.slug),
                count=about(politician.n) if estimated else politician.n,
                estimate=estimated,
            )
        )
    if len(ranked) > limit and filterset.value("show") != spec.show:
        facet.more_url = filterset.url(show=[spec.show])
    return facet


def _year_rows(filterset, estimates):
    """Article counts by (year, month) without the year filters, the total selected, and
    whether those are estimates."""
    single = filterset.single_choice()
    estimated = not single and estimates is not None and estimates.large("year")
    if single:  # one value of one facet: its stored monthly counts
        facet, chosen = single
        years = article_counts.monthly(facet, chosen.pk)
    elif estimated:
        years = estimates.months(filterset.sample(without=filterset.FACETS["year"]))
    else:
        rows = (
            _others(filterset, "year", estimates)
            .annotate(y=ExtractYear("published_at"), m=ExtractMonth("published_at"))
            .values("y", "m")
            .annotate(n=Count("id"))
            .order_by()
        )
        years = {(row["y"], row["m"]): row["n"] for row in rows}
    year, month = filterset.value("year"), filterset.value("month")
    total = sum(
        n for (y, m), n in years.items() if (not year or y == year) and (not month or m == month)
    )
    return years, round(total), estimated


def _years(filterset, years, estimated=False):
    chosen = filterset.value("year")
    per_year = {}
    for (y, _m), n in years.items():
        per_year[y] = per_year.get(y, 0) + n
    if chosen:
        per_year.setdefault(chosen, 0)
    facet = Facet(name="year", title="Years")
    for y in sorted(per_year, reverse=True):
        if y == chosen:
            url = filterset.url(year=None, month=None)
            facet.options.append(Option(str(y), str(y), url, selected=True))
        else:
            url = filterset.url(year=[y], month=None)
            count = about(per_year[y]) if estimated else per_year[y]
            facet.options.append(Option(str(y), str(y), url, count=count, estimate=estimated))
    facet.estimated = estimated
    return facet


def _months(filterset, years, estimated=False):
    year, chosen = filterset.value("year"), filterset.value("month")
    facet = Facet(name="month", title=f"Months of {year}", estimated=estimated)
    for m in range(1, 13):
        label = date_format(dt.date(year, m, 1), "F")
        if m == chosen:
            facet.options.append(Option(str(m), label, filterset.url(month=None), selected=True))
        elif years.get((year, m)):
            url = filterset.url(month=[m])
            n = about(years[(year, m)]) if estimated else years[(year, m)]
            facet.options.append(Option(str(m), label, url, count=n, estimate=estimated))
    return facet


# The whole archive, or one year or month of it: counts kept per month by the model layer
# (``articles.derived.counts``), equal to what the grouped queries above would count.


def _stored_facet_counts(filterset, politician_limit):
    year, month = filterset.value("year") or 0, filterset.value("month") or 0
    scheduled = article_counts.not_yet_public(timezone.now())
    years = article_counts.monthly(Dimension.ALL, scheduled=scheduled)
    total = sum(n for (y, m), n in years.items() if y == (year or y) and m == (month or m))
    stored = article_counts.totals(year=year, month=month, scheduled=scheduled)

    facets = []
    for spec in FACETS:
        limit = _limit(filterset, spec, politician_limit)
        wanted = None if limit is None else limit + 1
        ranked = _ranked_from(spec.model, stored.get(spec.name, {}), spec.order, wanted)
        facet = _multi_facet(filterset, spec, ranked[:limit], total)
        facets.append(_shown(filterset, spec, facet, len(ranked), limit))
    facets.append(_years(filterset, years))
    if year:
        facets.append(_months(filterset, years))
    return FacetCounts(total=total, facets=facets, months=_selected_months(filterset, years))


def _ranked_from(model, counts, order, limit=None):
    """Like ``_ranked``, from {id: count}: objects with ``n``, most first, names breaking ties."""
    counts = {key: n for key, n in counts.items() if n > 0}
    if limit is not None and len(counts) > limit:
        # Names break ties with the last one shown (estimates tie often: read only the names
        # of those tied, then the objects shown).
        floor = sorted(counts.values(), reverse=True)[limit - 1]
        above = [key for key, n in counts.items() if n > floor]
        tied = model.objects.filter(pk__in=[key for key, n in counts.items() if n == floor])
        names = sorted(tied.values_list(*order, "pk"))[: limit - len(above)]
        counts = {key: counts[key] for key in [*above, *(row[-1] for row in names)]}
    objects = list(model.objects.filter(pk__in=counts))
    for obj in objects:
        obj.n = counts[obj.pk]
    objects.sort(key=lambda obj: (-obj.n, *(getattr(obj, f) for f in order)))
    return objects[:limit] if limit is not None else objects


def _stored_minus_selection(filterset, facet, within, limit=None):
    """Counts for a facet that alone narrows the archive: what the option adds is every article
    with it in the period (stored) less those the selection already holds (``within``: rows of
    ``key`` and ``n`` over the selected articles, or {key: estimate}), so only the selection is
    read. With ``limit``, only the keys that can be among the ``limit`` largest."""
    year, month = filterset.value("year") or 0, filterset.value("month") or 0
    held = within if isinstance(within, dict) else {row["key"]: row["n"] for row in within}
    if limit is None:
        stored = article_counts.totals(facet, year=year, month=month)
    else:
        stored = article_counts.largest(facet, limit, year=year, month=month, lowered=held)
    return {key: max(0, n - held.get(key, 0)) for key, n in stored.items()}
