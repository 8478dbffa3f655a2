"""A politician's life in the news as Knight Lab TimelineJS 3 JSON.

Coverage (articles), party memberships and roles are events in the groups "Coverage", "Party"
and "Roles". Headlines and texts are HTML in TimelineJS, so everything from the database is
escaped.
"""

from django.utils.html import escape, format_html

from articles.models import Article
from articles.web.templatetags.archive_tags import http_url

from .common import summary, with_export_relations

MAX_ARTICLES = 500


def timeline_date(value):
    return {"year": value.year, "month": value.month, "day": value.day}


def _period(start, end):
    start_text = f"{start.day} {start:%B %Y}" if start else "unknown"
    end_text = f"{end.day} {end:%B %Y}" if end else "present"
    return f"{start_text} – {end_text}"


def _dated_event(unique_id, group, headline, text, start, end):
    event = {"unique_id": unique_id, "group": group, "start_date": timeline_date(start)}
    if end:
        event["end_date"] = timeline_date(end)
    event["text"] = {"headline": escape(headline), "text": escape(text)}
    return event


def build_timeline(politician, *, max_articles=MAX_ARTICLES):
    """The TimelineJS document for ``politician``: a title slide and dated events."""
    title = {
        "unique_id": f"politician-{politician.slug}",
        "text": {
            "headline": escape(politician.name),
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
                        '<a href="{}">{}</a>', article.get_absolute_url(), article.headline
                    ),
                    "text": text,
                },
            }
        )
    for membership in politician.memberships.select_related("party").order_by("start_date"):
        if membership.start_date is None:
            continue  # TimelineJS needs a start date to place an event.
        events.append(
            _dated_event(
                f"membership-{membership.pk}",
                "Party",
                membership.party.name,
                _period(membership.start_date, membership.end_date),
                membership.start_date,
                membership.end_date,
            )
        )
    for role in politician.roles.order_by("start_date"):
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
