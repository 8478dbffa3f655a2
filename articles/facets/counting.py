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
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.formats import date_format

from articles.derived import counts as article_counts
from articles.models import (
    Article,
    ArticleCount,
    ArticleTopic,
    Mention,
    Party,
    Politician,
    Source,
    Topic,
)

from .estimates import Estimates, about

Dimension = ArticleCount.Dimension

POLITICIAN_LIMIT = 12
POLITICIAN_LIMIT_ALL = 500


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
        _politicians(filterset, total, politician_limit, estimates),
        _parties(filterset, total, estimates),
        _topics(filterset, total, estimates),
        _sources(filterset, total, estimates),
        _years(filterset, years, estimated),
    ]
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
    having = getattr(filterset, f"filter_{facet}")(filterset.sampled, facet, selected)
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


def _mentioning(**conditions):
    """An EXISTS over confirmed mentions of the outer article.

    Negated, this is NOT EXISTS, which PostgreSQL runs as an anti-join; ``NOT IN (subquery)``
    over a large set cannot be hashed and is re-scanned for every row.
    """
    return Exists(Mention.objects.confirmed().filter(article=OuterRef("pk"), **conditions))


def _role(role):
    return {"role": role} if role else {}


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


def _multi_facet(filterset, name, title, ranked, total, estimated=False):
    """Options of a facet whose values are OR-ed, from objects counted by ``_ranked``."""
    selected = filterset.selected(name)
    facet = Facet(name=name, title=title, adding=bool(selected), estimated=estimated)
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


def _politicians(filterset, total, limit, estimates):
    selected, role = filterset.selected("politician"), filterset.value("role")
    show_all = filterset.value("show") == "politicians"
    limit = limit or (POLITICIAN_LIMIT_ALL if show_all else POLITICIAN_LIMIT)
    order = ["sort_name", "name"]
    if selected and filterset.all_together:
        facet = _appearing_together(filterset, selected, role, limit, estimates)
        if show_all:
            facet.fewer_url = filterset.url(show=None)
        return facet
    within_selection = bool(selected) and not role and filterset.only_facet_chosen("politician")
    estimated = _sampled(
        filterset,
        estimates,
        "politician",
        role or "politician",
        within_selection=within_selection,
        limit=limit + 1,
    )
    if estimated is not None:
        ranked = _ranked_from(Politician, estimated, order, limit + 1)
    elif within_selection:
        within = (
            Mention.objects.confirmed()
            .filter(article__in=_others(filterset, None, estimates).values("pk"))
            .order_by()  # no join for the default ordering
            .values(key=F("politician_id"))
            .annotate(n=Count("id"))
        )
        counts = _stored_minus_selection(filterset, "politician", within, limit + 1)
        ranked = _ranked_from(Politician, counts, order, limit + 1)
    else:
        articles = _others(filterset, "politician", estimates)
        if selected:
            articles = articles.exclude(_mentioning(politician__in=selected, **_role(role)))
        mentions = Mention.objects.confirmed().filter(article__in=articles.values("pk"))
        if role:
            mentions = mentions.filter(role=role)
        # One mention per article and politician (unique_mention), so rows count articles.
        grouped = mentions.order_by().values("politician_id").annotate(n=Count("id"))
        ranked = _ranked(Politician, grouped, "politician_id", order, limit + 1)
    facet = _multi_facet(
        filterset, "politician", "Politicians", ranked[:limit], total, estimated is not None
    )
    if len(ranked) > limit and not show_all:
        facet.more_url = filterset.url(show=["politicians"])
    if show_all:
        facet.fewer_url = filterset.url(show=None)
    return facet


def _appearing_together(filterset, selected, role, limit, estimates):
    """The politician facet with ``together``: the people the selected articles mention, each
    with the number of them that mention that person too (what adding them gives)."""
    order = ["sort_name", "name"]
    estimated = estimates is not None and estimates.large("selection")
    if estimated:
        counts = estimates.counts(filterset.sample(), role or "politician")
        for politician in selected:
            counts.pop(politician.pk, None)
        ranked = _ranked_from(Politician, counts, order, limit + 1)
    else:
        mentions = (
            Mention.objects.confirmed()
            .filter(article__in=_others(filterset, None, estimates).values("pk"))
            .exclude(politician__in=selected)
        )
        if role:
            mentions = mentions.filter(role=role)
        grouped = mentions.order_by().values("politician_id").annotate(n=Count("id"))
        ranked = _ranked(Politician, grouped, "politician_id", order, limit + 1)
    facet = Facet(name="politician", title="Politicians", adding=True, estimated=estimated)
    for politician in selected:
        url = filterset.url_toggling("politician", politician.slug)
        facet.options.append(Option(politician.slug, politician.name, url, selected=True))
    for politician in ranked[:limit]:
        facet.options.append(
            Option(
                value=politician.slug,
                label=politician.name,
                url=filterset.url_toggling("politician", politician.slug),
                count=about(politician.n) if estimated else politician.n,
                estimate=estimated,
            )
        )
    if len(ranked) > limit and filterset.value("show") != "politicians":
        facet.more_url = filterset.url(show=["politicians"])
    return facet


def _parties(filterset, total, estimates):
    selected = filterset.selected("party")
    within_selection = bool(selected) and filterset.only_facet_chosen("party")
    estimated = _sampled(filterset, estimates, "party", "party", within_selection=within_selection)
    if estimated is not None:
        ranked = _ranked_from(Party, estimated, ["name"])
    elif within_selection:
        within = (
            Mention.objects.confirmed()
            .filter(article__in=_others(filterset, None, estimates), party__isnull=False)
            .order_by()
            .values(key=F("party_id"))
            .annotate(n=Count("article", distinct=True))
        )
        ranked = _ranked_from(Party, _stored_minus_selection(filterset, "party", within), ["name"])
    else:
        articles = _others(filterset, "party", estimates)
        if selected:
            articles = articles.exclude(_mentioning(party__in=selected))
        grouped = (
            Mention.objects.confirmed()
            .filter(article__in=articles.values("pk"), party__isnull=False)
            .order_by()
            .values("party_id")
            .annotate(n=Count("article", distinct=True))
        )
        ranked = _ranked(Party, grouped, "party_id", ["name"])
    return _multi_facet(filterset, "party", "Parties", ranked, total, estimated is not None)


def _topics(filterset, total, estimates):
    selected = filterset.selected("topic")
    within_selection = bool(selected) and filterset.only_facet_chosen("topic")
    estimated = _sampled(filterset, estimates, "topic", "topic", within_selection=within_selection)
    if estimated is not None:
        ranked = _ranked_from(Topic, estimated, ["name"])
    elif within_selection:
        within = (
            ArticleTopic.objects.filter(article__in=_others(filterset, None, estimates))
            .values(key=F("topic_id"))
            .annotate(n=Count("id"))
        )
        ranked = _ranked_from(Topic, _stored_minus_selection(filterset, "topic", within), ["name"])
    else:
        articles = _others(filterset, "topic", estimates)
        if selected:
            articles = articles.exclude(
                Exists(ArticleTopic.objects.filter(article=OuterRef("pk"), topic__in=selected))
            )
        # One row per article and topic (unique_article_topic), so rows count articles.
        grouped = (
            ArticleTopic.objects.filter(article__in=articles.values("pk"))
            .values("topic_id")
            .annotate(n=Count("id"))
        )
        ranked = _ranked(Topic, grouped, "topic_id", ["name"])
    return _multi_facet(filterset, "topic", "Topics", ranked, total, estimated is not None)


def _sources(filterset, total, estimates):
    selected = filterset.selected("source")
    within_selection = bool(selected) and filterset.only_facet_chosen("source")
    estimated = _sampled(
        filterset, estimates, "source", "source", within_selection=within_selection
    )
    if estimated is not None:
        ranked = _ranked_from(Source, estimated, ["name"])
    elif within_selection:
        within = (
            _others(filterset, None, estimates)
            .order_by()
            .values(key=F("source_id"))
            .annotate(n=Count("id"))
        )
        ranked = _ranked_from(
            Source, _stored_minus_selection(filterset, "source", within), ["name"]
        )
    else:
        articles = _others(filterset, "source", estimates)
        if selected:
            articles = articles.exclude(source__in=selected)
        grouped = articles.values("source_id").annotate(n=Count("id"))
        ranked = _ranked(Source, grouped, "source_id", ["name"])
    return _multi_facet(filterset, "source", "Sources", ranked, total, estimated is not None)


def _year_rows(filterset, estimates):
    """Article counts by (year, month) without the year filters, the total selected, and
    whether those are estimates."""
    single = filterset.single_choice()
    estimated = not single and estimates is not None and estimates.large("year")
    if single:  # one politician, party, topic or source: its stored monthly counts
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

    def ranked(model, dimension, order, limit=None):
        return _ranked_from(model, stored.get(dimension, {}), order, limit)

    show_all = filterset.value("show") == "politicians"
    limit = politician_limit or (POLITICIAN_LIMIT_ALL if show_all else POLITICIAN_LIMIT)
    people = ranked(Politician, Dimension.POLITICIAN, ["sort_name", "name"], limit + 1)
    politicians = _multi_facet(filterset, "politician", "Politicians", people[:limit], total)
    if len(people) > limit and not show_all:
        politicians.more_url = filterset.url(show=["politicians"])
    if show_all:
        politicians.fewer_url = filterset.url(show=None)
    facets = [
        politicians,
        _multi_facet(
            filterset, "party", "Parties", ranked(Party, Dimension.PARTY, ["name"]), total
        ),
        _multi_facet(filterset, "topic", "Topics", ranked(Topic, Dimension.TOPIC, ["name"]), total),
        _multi_facet(
            filterset, "source", "Sources", ranked(Source, Dimension.SOURCE, ["name"]), total
        ),
        _years(filterset, years),
    ]
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
