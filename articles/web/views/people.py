"""Politicians and parties: the lists, the politician's timeline and the party page."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Window
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from articles.derived import counts as stored_counts
from articles.derived import parties as party_rule
from articles.io.exports.common import BODY_START_CHARS
from articles.models import (
    Area,
    Article,
    ArticleCount,
    Mention,
    Party,
    PartyMembership,
    Politician,
    Role,
    Topic,
)

from .. import charts, similar, timeline

POLITICIANS_PER_PAGE = 50
LATEST_ARTICLES = 20
MEMBERS_SHOWN = 100
CO_MENTIONS = 10
CLOSE_NAMES = 20  # politicians found by a name close to the one searched for
TRUE_VALUES = {"1", "true", "yes", "on"}


def _query_string(params, **changes):
    """``params`` (a QueryDict) with ``changes`` applied; None or "" removes a key."""
    params = params.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    for key in [k for k, v in params.lists() if not any(v)]:
        params.pop(key)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _page_number(raw, notices):
    if raw in (None, ""):
        return 1
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        notices.append(f"“{raw}” is not a page number; showing the first page.")
        return 1
    return number


def _coverage_of(ids=None):
    """{politician id: number of public articles mentioning them}, one grouped query."""
    mentions = timeline.visible_mentions()
    if ids is not None:
        mentions = mentions.filter(politician__in=ids)
    return dict(mentions.order_by().values_list("politician").annotate(n=Count("id")))


def _page_by_coverage(politicians, number, notices):
    """A page of ``politicians``, most covered first.

    One grouped count over all mentions, sorted here: cheaper than a count per politician
    inside the ORDER BY, which the database would run for every politician.
    """
    names = list(politicians.order_by().values_list("pk", "sort_name", "name"))
    counts = _coverage_of()
    names.sort(key=lambda row: (-counts.get(row[0], 0), row[1], row[2], row[0]))
    paginator = Paginator(names, POLITICIANS_PER_PAGE)
    if number > paginator.num_pages:
        notices.append(f"There is no page {number}; showing the last page.")
    page = paginator.get_page(number)
    ids = [row[0] for row in page.object_list]
    found = politicians.filter(pk__in=ids).in_bulk() if ids else {}
    rows = [found[pk] for pk in ids if pk in found]
    for politician in rows:
        politician.coverage = counts.get(politician.pk, 0)
    return page, rows


# Politician list -----------------------------------------------------------------------------


def politician_list(request):
    notices = []
    params = request.GET
    query = params.get("q", "").replace("\x00", "").strip()  # PostgreSQL text has no NUL
    ever = params.get("ever", "").lower() in TRUE_VALUES
    sort = params.get("sort", "name")
    if sort not in {"name", "coverage"}:
        notices.append(f"Unknown sort “{sort}”; sorted by name.")
        sort = "name"

    parties = list(Party.objects.all())
    party = None
    if party_slug := params.get("party", "").strip():
        party = next((p for p in parties if p.slug == party_slug), None)
        if party is None:
            notices.append(f"There is no party “{party_slug}”; showing all parties.")

    area = None
    if area_slug := params.get("area", "").replace("\x00", "").strip():
        area = Area.objects.filter(slug=area_slug).first()
        if area is None:
            notices.append(f"There is no constituency “{area_slug}”; showing all of them.")

    today = timezone.localdate()
    current = party_rule.party_subquery(politician=OuterRef("pk"), on=today)
    politicians = Politician.objects.all()
    if query:  # any of their names contains the words, or is close to them ("corbin")
        close = [pk for pk, _ in similar.close_politicians(query, limit=CLOSE_NAMES)]
        politicians = politicians.filter(
            Q(pk__in=Politician.objects.search(query).values("pk")) | Q(pk__in=close)
        )
    politicians = politicians.annotate(current_party_id=current)
    if party and ever:
        politicians = politicians.filter(
            Exists(PartyMembership.objects.filter(politician=OuterRef("pk"), party=party))
        )
    elif party:
        politicians = politicians.filter(current_party_id=party.pk)
    if area:
        politicians = politicians.filter(
            Exists(Role.objects.filter(politician=OuterRef("pk"), area=area))
        )
    number = _page_number(params.get("page"), notices)
    if sort == "coverage":
        page, rows = _page_by_coverage(politicians, number, notices)
    else:
        paginator = Paginator(politicians.order_by("sort_name", "name", "pk"), POLITICIANS_PER_PAGE)
        if number > paginator.num_pages:
            notices.append(f"There is no page {number}; showing the last page.")
        page = paginator.get_page(number)
        rows = list(page.object_list)
        counts = _coverage_of([p.pk for p in rows]) if rows else {}
        for politician in rows:
            politician.coverage = counts.get(politician.pk, 0)
    total = page.paginator.count
    by_id = {p.pk: p for p in parties}
    for politician in rows:
        politician.current_party = by_id.get(politician.current_party_id)

    heading = "Politicians"
    if party:
        heading = f"{'Past and present members' if ever else 'Members'} of the {party.name}"
        heading = heading.replace("the The ", "the ")
    if area:
        heading = f"{heading} who have represented {area.name}"
    return render(
        request,
        "articles/politician_list.html",
        {
            "heading": heading,
            "politicians": rows,
            "page": page,
            "total": total,
            "parties": parties,
            "party": party,
            "area": area,
            "ever": ever,
            "query": query,
            "sort": sort,
            "notices": notices,
            "previous_url": page.has_previous()
            and _query_string(params, page=page.previous_page_number()),
            "next_url": page.has_next() and _query_string(params, page=page.next_page_number()),
        },
    )


# Politician page -----------------------------------------------------------------------------


class TimelineParams:
    """The timeline's GET parameters, checked: each value that cannot be understood adds a
    sentence to ``errors`` and its name to ``bad``, and the page answers 400 with them."""

    def __init__(self, params, *, topics):
        self.errors, self.bad = [], []
        self.newest_first = True
        order = params.get("order", "newest").strip() or "newest"
        if order == "oldest":
            self.newest_first = False
        elif order != "newest":
            self._reject("order", f"Unknown order “{order[:40]}”: choose newest or oldest.")

        self.year = None
        if raw_year := params.get("year", "").strip():
            if raw_year.isascii() and raw_year.isdigit() and 1000 <= int(raw_year) <= 9999:
                self.year = int(raw_year)
            else:
                self._reject("year", f"“{raw_year[:40]}” is not a year: give one like 2016.")

        self.role = None
        if raw_role := params.get("role", "").strip():
            if raw_role in Mention.Role.values:
                self.role = raw_role
            else:
                self._reject(
                    "role", f"Unknown role “{raw_role[:40]}”: choose subject, quoted or mentioned."
                )

        self.topic = None
        if raw_topic := params.get("topic", "").strip():
            self.topic = next((t for t in topics if t.slug == raw_topic), None)
            if self.topic is None:
                self._reject("topic", f"There is no topic “{raw_topic[:60]}” in the archive.")

        self.with_slug = params.get("with", "").replace("\x00", "").strip()
        self.page = 1
        if (raw_page := params.get("page", "").strip()) and raw_page != "1":
            if raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) < 10**9:
                self.page = int(raw_page)
            else:
                self._reject(
                    "page", f"“{raw_page[:20]}” is not a page number; pages are numbered from 1."
                )

    def _reject(self, name, sentence):
        self.errors.append(sentence)
        self.bad.append(name)

    @property
    def narrowed(self):
        return bool(self.role or self.topic or self.with_slug)


def _last_recorded(memberships, today):
    """The membership that ended last, when every membership has ended: the data stops there,
    which is not the same as leaving the party."""
    ended = [m for m in memberships if m.end_date and m.end_date < today]
    if not ended or len(ended) < len(memberships):
        return None
    return max(ended, key=lambda m: (m.end_date, m.pk))


def _latin(name):
    """Whether every letter of ``name`` is in the Latin script (an English page shows those)."""
    return all("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha())


def _constituencies(roles):
    """The areas of a politician's seats, in order, each from its first start to its last end
    (None: unknown, or still held)."""
    held = {}
    for role in roles:
        if role.area is None:
            continue
        starts, ends = held.setdefault(role.area, ([], []))
        starts.append(role.start_date)
        ends.append(role.end_date)
    return [
        {
            "area": area,
            "start": None if None in starts else min(starts),
            "end": None if None in ends else max(ends),
        }
        for area, (starts, ends) in held.items()
    ]


def _year_spans(years):
    """{year with articles: (first, last) years whose career events its page shows}: the years
    after it without articles of their own, up to the next year with some (either end None
    when open), so that no year is offered without articles and no event is left out."""
    with_articles = sorted(y for y, n in years.items() if n)
    spans = {}
    for i, year in enumerate(with_articles):
        following = with_articles[i + 1] - 1 if i + 1 < len(with_articles) else None
        spans[year] = (None if i == 0 else year, following)
    return spans


def _span_holding(year, spans):
    """The year with articles whose page shows ``year``'s events (None if there is none)."""
    for holder, (first, last) in spans.items():
        if (first is None or first <= year) and (last is None or year <= last):
            return holder
    return None


def _year_nav(years, spans, chosen, params):
    return [
        {
            "year": year,
            "count": years[year],
            "current": year == chosen,
            "url": _query_string(params, year=year, page=None),
        }
        for year in sorted(spans, reverse=True)
    ]


def _header(politician, params, today):
    """What the head of a politician's page shows, whatever its timeline."""
    all_names = params.get("names") == "all"
    names = list(politician.other_names.all())
    other_names = [o for o in names if all_names or _latin(o.name)]
    memberships = list(politician.memberships.select_related("party").order_by("start_date", "pk"))
    roles = list(politician.roles.select_related("area").order_by("start_date", "pk"))
    current = party_rule.deciding(memberships, today)
    current_roles = [r for r in roles if r.is_current(today)]
    for role in current_roles:
        role.post = timeline.post_name(role)
    return (
        memberships,
        roles,
        {
            "politician": politician,
            "other_names": other_names,
            "hidden_names": len(names) - len(other_names),
            "all_names_url": _query_string(params, names="all"),
            "current_party": current.party if current else None,
            "last_recorded": _last_recorded(memberships, today) if current is None else None,
            "current_roles": current_roles,
            "constituencies": _constituencies(roles),
            "identifiers": [i for i in politician.identifiers.all() if i.url],
            "memberships": memberships,
        },
    )


def politician_detail(request, slug):
    """A politician's page: header, charts, the timeline and who they appear with.

    GET parameters (all optional; a value that cannot be understood gets a 400 page saying so,
    with a link to the page without it): ``year`` (one year of the timeline; long careers
    always show one year at a time, by default the latest year with coverage, or the earliest
    with ``order=oldest``), ``topic`` (slug), ``role`` (subject/quoted/mentioned), ``order``
    (newest/oldest), ``page`` (within the year) and ``with`` (another politician's slug: only
    articles mentioning both; "Often mentioned with" links here, since the browser ORs values
    within its politician facet).
    """
    params = request.GET
    with_slug = params.get("with", "").replace("\x00", "").strip()
    people = {p.slug: p for p in Politician.objects.filter(slug__in={slug, with_slug} - {""})}
    politician = people.get(slug)
    if politician is None:
        raise Http404("No politician has that address.")
    now = timezone.now()
    today = timezone.localdate(now)
    topics = list(Topic.objects.all())
    filters = TimelineParams(params, topics=topics)
    with_politician = None
    if with_slug:
        with_politician = people.get(with_slug)
        if with_politician is None:
            filters._reject("with", f"There is no politician “{with_slug[:60]}” in the archive.")
        elif with_politician == politician:
            filters._reject("with", "Choose someone else to see articles mentioning both.")
            with_politician = None
    memberships, roles, context = _header(politician, params, today)
    if filters.errors:
        return _timeline_problem(request, context, filters.errors, filters.bad, status=400)

    notices = []
    months = timeline.politician_monthly_counts(politician, now=now)
    mentions = timeline.public_mentions(
        politician,
        topic=filters.topic,
        role=filters.role,
        with_politician=with_politician,
        now=now,
    )
    narrowed = bool(filters.topic or filters.role or with_politician)
    years = timeline.yearly_counts(mentions) if narrowed else timeline.years_from_months(months)
    events = timeline.career_events(memberships, roles, today=today)
    total = sum(years.values())
    spans = _year_spans(years)

    if narrowed and not total:
        notices.append("No articles match these filters.")
    year = filters.year
    if year is not None and year not in spans:
        holder = _span_holding(year, spans)
        if any(e.on.year == year for e in events) and holder is not None:
            year = holder  # its events are on that year's page
        elif not any(e.on.year == year for e in events):
            notices.append(f"Nothing to show in {year}.")
    if year is None and total > timeline.PAGE_SIZE:
        year = max(spans) if filters.newest_first else min(spans)
    count = years.get(year, 0) if year is not None else total
    stream = timeline.timeline_slice(
        mentions,
        events,
        count=count,
        year=year,
        event_years=spans.get(year),
        page=filters.page,
        newest_first=filters.newest_first,
    )
    if filters.page > stream.pages:
        notices = [
            f"There is no page {filters.page}"
            + (f" in {year}" if year is not None else "")
            + f": {stream.pages} page{'s' if stream.pages != 1 else ''} in all."
        ]
        return _timeline_problem(request, context, notices, ["page"], status=404)

    co_mentions = timeline.co_mentioned(politician, year=year, limit=CO_MENTIONS, now=now)
    all_years = timeline.years_from_months(months)
    counted = all_years.get(year, 0) if year is not None else sum(all_years.values())
    co_window = timeline.CO_MENTION_WINDOW if counted > timeline.CO_MENTION_WINDOW else None
    for row in co_mentions:
        link = {"with": row["politician__slug"]} | ({"year": year} if year else {})
        row["url"] = "?" + urlencode(link)

    chart = charts.coverage_chart(months) if months else None
    # The band lines up with the coverage, or without any shows the whole party history.
    axis = (
        chart.axis
        if chart
        else charts.Axis.covering(
            *(m.start_date for m in memberships if m.start_date),
            *(min(m.end_date or today, today) for m in memberships if m.start_date or m.end_date),
        )
    )
    context |= {
        "band": charts.party_band(memberships, axis, today=today) if axis and memberships else None,
        "chart": chart,
        "total_articles": sum(months.values()),
        "stream": stream,
        "year": year,
        "year_nav": _year_nav(years, spans, year, params),
        "paged_by_year": total > timeline.PAGE_SIZE,
        "filters": filters,
        "with_politician": with_politician,
        "topics": topics,
        "roles": Mention.Role.choices,
        "notices": notices,
        "co_mentions": co_mentions,
        "co_window": co_window,
        "previous_url": stream.has_previous and _query_string(params, page=stream.page - 1),
        "next_url": stream.has_next and _query_string(params, page=stream.page + 1),
        "order_url": _query_string(
            params, order=None if not filters.newest_first else "oldest", page=None
        ),
        "all_years_url": _query_string(params, year=None, page=None),
    }
    return render(request, "articles/politician_detail.html", context)


def _timeline_problem(request, context, notices, bad, *, status):
    """The politician's page with ``notices`` in place of a timeline, linking to the page
    without the parameters named in ``bad``."""
    context |= {
        "problem": True,
        "notices": notices,
        "clean_url": _query_string(request.GET, **dict.fromkeys(bad, None)),
        "total_articles": None,
    }
    return render(request, "articles/politician_detail.html", context, status=status)


# Parties -------------------------------------------------------------------------------------


def party_list(request):
    today = timezone.localdate()
    parties = list(
        Party.objects.annotate(
            members=Count(
                "memberships__politician",
                filter=(
                    Q(memberships__start_date__isnull=True) | Q(memberships__start_date__lte=today)
                )
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
                distinct=True,
            )
        ).order_by("-members", "name")
    )
    article_counts = stored_counts.totals(ArticleCount.Dimension.PARTY)
    for party in parties:
        party.article_count = article_counts.get(party.pk, 0)
    return render(request, "articles/party_list.html", {"parties": parties})


@dataclass(frozen=True)
class Member:
    """A current member of a party, and since when."""

    politician: Politician
    start_date: dt.date | None


def _membership_filters(party, today):
    """Conditions on ``Politician.memberships``: in ``party``; holding ``today``; begun by then."""
    begun = Q(memberships__start_date__isnull=True) | Q(memberships__start_date__lte=today)
    not_ended = Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    return Q(memberships__party=party), begun & not_ended, begun


def _current_members(party, today, limit):
    """The party's current members, longest-serving first, and how many there are.

    Each is a ``Member``: the politician, and the start of the membership that holds today
    (should two overlap, the one begun last). Ties in the start date go by name.
    """
    in_party, holding, _ = _membership_filters(party, today)
    people = list(
        Politician.objects.filter(in_party & holding)  # Max over the holding memberships only
        .annotate(since=Max("memberships__start_date"))
        .only("name", "slug")
        .annotate(total=Window(Count("pk")))
        .order_by(F("since").asc(nulls_first=True), "sort_name", "name", "pk")[:limit]
    )
    return [Member(p, p.since) for p in people], people[0].total if people else 0


def _former_members(party, today, limit):
    """Who has left the party (and not rejoined), the latest to leave first, and how many.

    Those who left on the same day go by when they first joined, then by their first membership.
    Each row: ``politician``, their ``spells`` in the party and the date they ``left``.
    """
    in_party, holding, begun = _membership_filters(party, today)
    people = list(
        Politician.objects.filter(in_party)  # the aggregates below count this join's rows only
        .annotate(
            holding=Count("memberships", filter=holding),
            begun=Count("memberships", filter=begun),
            left=Max("memberships__end_date", filter=Q(memberships__end_date__lt=today)),
            joined=Min("memberships__start_date"),
            first=Min("memberships__pk"),
        )
        .filter(holding=0, begun__gt=0)
        .only("name", "slug")
        .annotate(total=Window(Count("pk")))
        .order_by(F("left").desc(nulls_last=True), F("joined").asc(nulls_last=True), "first")[
            :limit
        ]
    )
    spells = {}
    if people:
        for m in PartyMembership.objects.filter(party=party, politician__in=people).order_by(
            "start_date", "pk"
        ):
            spells.setdefault(m.politician_id, []).append(m)
    former = [{"politician": p, "spells": spells[p.pk], "left": p.left} for p in people]
    return former, people[0].total if people else 0


def _latest_articles(party, limit):
    """The latest public articles mentioning a member of ``party`` (as of each article's date),
    each with those members as ``party_mentions``: one query, from the mentions, loading only
    the fields the page shows (of the body, the opening its summary needs)."""
    latest = Article.objects.published().in_party(party).values("pk")[:limit]
    mentions = (
        Mention.objects.confirmed()
        .filter(party=party, article__in=latest)
        .select_related("article__source", "politician")
        .only(
            "article__headline",
            "article__standfirst",
            "article__slug",
            "article__published_at",
            "article__source__name",
            "politician__name",
            "politician__slug",
        )
        .annotate(article_body_start=Substr("article__body", 1, BODY_START_CHARS))
        .order_by("politician__sort_name", "politician__name", "pk")
    )
    articles, members = {}, {}
    for mention in mentions:
        mention.article.body_start = mention.article_body_start
        articles.setdefault(mention.article_id, mention.article)
        members.setdefault(mention.article_id, []).append(mention)
    for pk, article in articles.items():
        article.party_mentions = members[pk]
    return sorted(articles.values(), key=lambda a: (a.published_at, a.pk), reverse=True)


def _is_leader(role, party):
    """Whether ``role`` is the leadership of ``party`` itself ("Leader of the Labour Party",
    "Party leader", "Co-leader"), not a post held for it ("Deputy Leader", "Chief Whip")."""
    title = " ".join(role.title.casefold().split())
    name = re.escape(" ".join(party.name.casefold().split()))
    leader = r"(?:co-)?leader"
    return bool(
        re.fullmatch(rf"(?:party )?{leader}(?: of the (?:party|{name}))?", title)
        or re.fullmatch(rf"{name} {leader}", title)
    )


def _leadership(party):
    """The party's leaders, and its other posts (the front bench), each in date order."""
    roles = (
        Role.objects.filter(
            Q(title__icontains=f"Leader of the {party.name}") | Q(organisation__iexact=party.name)
        )
        .select_related("politician")
        .order_by(F("start_date").asc(nulls_first=True), "pk")
    )
    leaders, front_bench = [], []
    for role in roles:
        (leaders if _is_leader(role, party) else front_bench).append(role)
    return leaders, front_bench


def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    today = timezone.localdate()
    current, current_count = _current_members(party, today, MEMBERS_SHOWN)
    former, former_count = _former_members(party, today, MEMBERS_SHOWN)
    leaders, front_bench = _leadership(party)
    months = timeline.party_monthly_counts(party)
    latest = _latest_articles(party, LATEST_ARTICLES)
    return render(
        request,
        "articles/party_detail.html",
        {
            "party": party,
            "current_members": current,
            "dated_members": [m for m in current if m.start_date],
            "undated_members": [m for m in current if not m.start_date],
            "current_count": current_count,
            "former_members": former,
            "former_count": former_count,
            "members_url": reverse("articles:politicians") + "?" + urlencode({"party": party.slug}),
            "ever_url": reverse("articles:politicians")
            + "?"
            + urlencode({"party": party.slug, "ever": 1}),
            "leaders": leaders,
            "front_bench": front_bench,
            "chart": charts.coverage_chart(months) if months else None,
            "latest": latest,
            "browse_url": reverse("articles:list") + "?" + urlencode({"party": party.slug}),
        },
    )
