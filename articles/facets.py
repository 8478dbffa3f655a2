"""Disjunctive facet counts for the article browser.

Each facet's options are counted over the articles selected by all the *other* filters, with one
grouped query per facet (never a query per option). The number shown next to an option is the
number of articles the reader gets by following its link:

* in a facet with nothing selected, following an option selects it: the count is the number of
  articles (among those the other filters select) that match the option;
* in a facet with a selection, following an option adds it (values of one facet are OR-ed): the
  count is the current total plus the articles the option would add; options that would add
  nothing are left out.

Years and months are single choices; their counts also give the total number of results, so the
browser needs no separate COUNT query.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.formats import date_format

from .models import ArticleCount, ArticleTopic, Mention, Party, Politician, Source, Topic
from .services import counts as article_counts

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


@dataclass
class Facet:
    name: str
    title: str
    options: list[Option] = field(default_factory=list)
    adding: bool = False  # counts say what adding the option gives (the facet has a selection)
    more_url: str | None = None
    fewer_url: str | None = None


@dataclass
class FacetCounts:
    total: int
    facets: list[Facet]

    def facet(self, name):
        return next((f for f in self.facets if f.name == name), None)


def facet_counts(filterset, *, politician_limit=None):
    """The total number of results and every facet's options for a valid ``ArticleFilter``."""
    if filterset.only_dates_chosen():
        return _stored_facet_counts(filterset, politician_limit)
    years, total = _year_rows(filterset)
    facets = [
        _politicians(filterset, total, politician_limit),
        _parties(filterset, total),
        _topics(filterset, total),
        _sources(filterset, total),
        _years(filterset, years),
    ]
    if filterset.value("year"):
        facets.append(_months(filterset, years))
    return FacetCounts(total=total, facets=facets)


def _others(filterset, facet):
    """The articles every filter except ``facet``'s selects, as a subquery of ids."""
    return filterset.articles(without=filterset.FACETS[facet])


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
    sql, params = grouped.order_by().query.sql_with_params()
    order_sql = ", ".join(f"item.{quote(field)}" for field in order)
    query = (
        f"SELECT item.*, grouped.n AS n FROM ({sql}) grouped "
        f"JOIN {quote(model._meta.db_table)} item ON item.{quote(model._meta.pk.column)} "
        f"= grouped.{quote(key)} ORDER BY grouped.n DESC, {order_sql}"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    return list(model.objects.raw(query, params))


def _multi_facet(filterset, name, title, ranked, total):
    """Options of a facet whose values are OR-ed, from objects counted by ``_ranked``."""
    selected = filterset.selected(name)
    facet = Facet(name=name, title=title, adding=bool(selected))
    for obj, chosen in [(obj, True) for obj in selected] + [(obj, False) for obj in ranked]:
        count = None if chosen else total + obj.n if selected else obj.n
        facet.options.append(
            Option(
                value=obj.slug,
                label=obj.name,
                url=filterset.url_toggling(name, obj.slug),
                count=count,
                selected=chosen,
                party=obj if isinstance(obj, Party) else None,
            )
        )
    return facet


def _politicians(filterset, total, limit):
    selected, role = filterset.selected("politician"), filterset.value("role")
    articles = _others(filterset, "politician")
    if selected:
        articles = articles.exclude(_mentioning(politician__in=selected, **_role(role)))
    mentions = Mention.objects.confirmed().filter(article__in=articles.values("pk"))
    if role:
        mentions = mentions.filter(role=role)
    show_all = filterset.value("show") == "politicians"
    limit = limit or (POLITICIAN_LIMIT_ALL if show_all else POLITICIAN_LIMIT)
    order = ["sort_name", "name"]
    if selected and not role and filterset.only_facet_chosen("politician"):
        within = (
            Mention.objects.confirmed()
            .filter(article__in=filterset.articles().values("pk"))
            .order_by()  # no join for the default ordering
            .values(key=F("politician_id"))
            .annotate(n=Count("id"))
        )
        counts = _stored_minus_selection(filterset, "politician", within)
        ranked = _ranked_from(Politician, counts, order, limit + 1)
    else:
        # One mention per article and politician (unique_mention), so rows count articles.
        grouped = mentions.order_by().values("politician_id").annotate(n=Count("id"))
        ranked = _ranked(Politician, grouped, "politician_id", order, limit + 1)
    facet = _multi_facet(filterset, "politician", "Politicians", ranked[:limit], total)
    if len(ranked) > limit and not show_all:
        facet.more_url = filterset.url(show=["politicians"])
    if show_all:
        facet.fewer_url = filterset.url(show=None)
    return facet


def _parties(filterset, total):
    selected = filterset.selected("party")
    if selected and filterset.only_facet_chosen("party"):
        within = (
            Mention.objects.confirmed()
            .filter(article__in=filterset.articles().values("pk"), party__isnull=False)
            .order_by()
            .values(key=F("party_id"))
            .annotate(n=Count("article", distinct=True))
        )
        counts = _stored_minus_selection(filterset, "party", within)
        return _multi_facet(
            filterset, "party", "Parties", _ranked_from(Party, counts, ["name"]), total
        )
    articles = _others(filterset, "party")
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
    return _multi_facet(filterset, "party", "Parties", ranked, total)


def _topics(filterset, total):
    selected = filterset.selected("topic")
    if selected and filterset.only_facet_chosen("topic"):
        within = (
            ArticleTopic.objects.filter(article__in=filterset.articles().values("pk"))
            .values(key=F("topic_id"))
            .annotate(n=Count("id"))
        )
        counts = _stored_minus_selection(filterset, "topic", within)
        return _multi_facet(
            filterset, "topic", "Topics", _ranked_from(Topic, counts, ["name"]), total
        )
    articles = _others(filterset, "topic")
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
    return _multi_facet(filterset, "topic", "Topics", ranked, total)


def _sources(filterset, total):
    selected = filterset.selected("source")
    if selected and filterset.only_facet_chosen("source"):
        within = filterset.articles().order_by().values(key=F("source_id")).annotate(n=Count("id"))
        counts = _stored_minus_selection(filterset, "source", within)
        return _multi_facet(
            filterset, "source", "Sources", _ranked_from(Source, counts, ["name"]), total
        )
    articles = _others(filterset, "source")
    if selected:
        articles = articles.exclude(source__in=selected)
    grouped = articles.values("source_id").annotate(n=Count("id"))
    ranked = _ranked(Source, grouped, "source_id", ["name"])
    return _multi_facet(filterset, "source", "Sources", ranked, total)


def _year_rows(filterset):
    """Article counts by (year, month) without the year filters, and the total selected."""
    single = filterset.single_choice()
    if single:  # one politician, party, topic or source: its stored monthly counts
        facet, chosen = single
        years = article_counts.monthly(facet, chosen.pk)
    else:
        rows = (
            _others(filterset, "year")
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
    return years, total


def _years(filterset, years):
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
            facet.options.append(Option(str(y), str(y), url, count=per_year[y]))
    return facet


def _months(filterset, years):
    year, chosen = filterset.value("year"), filterset.value("month")
    facet = Facet(name="month", title=f"Months of {year}")
    for m in range(1, 13):
        label = date_format(dt.date(year, m, 1), "F")
        if m == chosen:
            facet.options.append(Option(str(m), label, filterset.url(month=None), selected=True))
        elif years.get((year, m)):
            url = filterset.url(month=[m])
            facet.options.append(Option(str(m), label, url, count=years[(year, m)]))
    return facet


# The whole archive, or one year or month of it: counts kept per month by the model layer
# (``articles.services.counts``), equal to what the grouped queries above would count.


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
    return FacetCounts(total=total, facets=facets)


def _ranked_from(model, counts, order, limit=None):
    """Like ``_ranked``, from {id: count}: objects with ``n``, most first, names breaking ties."""
    counts = {key: n for key, n in counts.items() if n > 0}
    if limit is not None and len(counts) > limit:
        # Everything tied with the last one shown, so that names break ties as in SQL.
        floor = sorted(counts.values(), reverse=True)[limit - 1]
        counts = {key: n for key, n in counts.items() if n >= floor}
    objects = list(model.objects.filter(pk__in=counts))
    for obj in objects:
        obj.n = counts[obj.pk]
    objects.sort(key=lambda obj: (-obj.n, *(getattr(obj, f) for f in order)))
    return objects[:limit] if limit is not None else objects


def _stored_minus_selection(filterset, facet, within):
    """Counts for a facet that alone narrows the archive: what the option adds is every article
    with it in the period (stored) less those the selection already holds (``within``: rows of
    ``key`` and ``n`` over the selected articles), so only the selection is read."""
    year, month = filterset.value("year") or 0, filterset.value("month") or 0
    stored = article_counts.totals(facet, year=year, month=month)
    held = {row["key"]: row["n"] for row in within}
    return {key: n - held.get(key, 0) for key, n in stored.items()}
