"""A politician's life in the news as Knight Lab TimelineJS 3 JSON.

Coverage (articles), party memberships and roles are events in the groups "Coverage", "Party"
and "Roles". Headlines and texts are HTML in TimelineJS, so everything from the database is
escaped. Links are absolute (``base_url``): the document is offered for other people's pages.

A membership with no start date is placed at the first date the archive knows of it (the first
article mentioning the politician as a member, or the first post they held, while it lasted)
and says that its start is unknown.
"""

from django.db.models import Min
from django.utils.html import escape, format_html

from articles.models import Article, Mention
from articles.web.templatetags.archive_tags import http_url

from .common import summary, with_export_relations

MAX_ARTICLES = 500


def timeline_date(value):
    return {"year": value.year, "month": value.month, "day": value.day}


def _period(start, end):
    start_text = _day(start) if start else "unknown"
    end_text = _day(end) if end else "present"
    return f"{start_text} – {end_text}"


def _dated_event(unique_id, group, headline, text, start, end, *, link=None):
    event = {"unique_id": unique_id, "group": group, "start_date": timeline_date(start)}
    if end:
        event["end_date"] = timeline_date(end)
    headline = format_html('<a href="{}">{}</a>', link, headline) if link else escape(headline)
    event["text"] = {"headline": headline, "text": escape(text)}
    return event


def _day(value):
    return f"{value.day} {value:%B %Y}"


def _first_known_dates(politician, memberships, roles):
    """{membership id: the first date the archive knows the politician was in it} for each
    membership with no start date: its first public article with the politician in that party,
    or the first post begun while it lasted, or else its end."""
    undated = [m for m in memberships if m.start_date is None]
    if not undated:
        return {}
    first_by_party = dict(
        Mention.objects.public()
        .filter(politician=politician, party__in={m.party_id for m in undated})
        .order_by()
        .values_list("party")
        .annotate(first=Min("published_on"))
    )
    known = {}
    for m in undated:
        candidates = [first_by_party.get(m.party_id)]
        candidates += [r.start_date for r in roles if r.start_date]
        candidates = [d for d in candidates if d and (m.end_date is None or d <= m.end_date)]
        if first := min(candidates, default=m.end_date):
            known[m.pk] = first
    return known


def _membership_event(membership, first_known, base_url):
    party, end = membership.party, membership.end_date
    until = _day(end) if end else "present"
    if membership.start_date:
        start, text = membership.start_date, _period(membership.start_date, end)
    else:
        start = first_known
        text = f"Start date unknown: first known as a member on {_day(first_known)}. " + (
            f"Left on {_day(end)}." if end else "Still a member."
        )
    event = _dated_event(
        f"membership-{membership.pk}",
        "Party",
        party.name,
        text,
        start,
        end,
        link=base_url + party.get_absolute_url(),
    )
    if not membership.start_date:
        event["display_date"] = f"Unknown start (known by {_day(first_known)}) – {until}"
    return event


def build_timeline(politician, *, base_url, max_articles=MAX_ARTICLES):
    """The TimelineJS document for ``politician``: a title slide and dated events, with links
    under ``base_url`` (the site's address, e.g. ``https://archive.example.org``)."""
    base_url = base_url.rstrip("/")
    title = {
        "unique_id": f"politician-{politician.slug}",
        "text": {
            "headline": format_html(
                '<a href="{}">{}</a>', base_url + politician.get_absolute_url(), politician.name
            ),
            "text": escape(politician.biography),
        },
    }
    if http_url(politician.image_url):
        title["media"] = {"url": politician.image_url, "caption": escape(politician.name)}

    events = []
    articles = with_export_relations(
        Article.objects.published().mentioning(politician).order_by("-published_at", "-id")
    )[:max_articles]
    for article in articles:
        text = f"<p>{escape(summary(article))}</p><p>{escape(article.source.name)}</p>"
        events.append(
            {
                "unique_id": f"article-{article.pk}",
                "group": "Coverage",
                "start_date": timeline_date(article.published_on),
                "text": {
                    "headline": format_html(
                        '<a href="{}">{}</a>',
                        base_url + article.get_absolute_url(),
                        article.headline,
                    ),
                    "text": text,
                },
            }
        )
    memberships = list(politician.memberships.select_related("party").order_by("start_date"))
    roles = list(politician.roles.order_by("start_date"))
    first_known = _first_known_dates(politician, memberships, roles)
    for membership in memberships:
        if membership.start_date or membership.pk in first_known:
            events.append(_membership_event(membership, first_known.get(membership.pk), base_url))
    for role in roles:
        if role.start_date is None:
            continue
        text = _period(role.start_date, role.end_date)
        if role.organisation:
            text = f"{role.organisation}, {text}"
        events.append(
            _dated_event(
                f"role-{role.pk}", "Roles", role.title, text, role.start_date, role.end_date
            )
        )
    events.sort(key=lambda e: (tuple(e["start_date"].values()), e["unique_id"]))
    return {"title": title, "events": events}
