"""The party page's lists: its current and former members, and its latest articles with the
party's members in each."""

from django.utils import timezone

from articles.web.templatetags.archive_tags import day_month_year

from .fill import fragment, join
from .timeline_entry import summary_line
from .urls import article_urls, slug_urls

CURRENT_MEMBER = fragment(
    '<li><a href="{url}">{name}</a> <span class="party-period">since {since}</span></li>\n      '
)
FORMER_MEMBER = fragment(
    '<li><a href="{url}">{name}</a> <span class="party-period">{spells}</span></li>\n      '
)
SPELL = fragment("{start} – {end}")
ARTICLE = fragment(
    '<li class="tl-entry">\n'
    '          <time datetime="{iso}">{date}</time>\n'
    '          <div class="tl-body">\n'
    '            <a class="tl-headline" href="{url}">{headline}</a>\n'
    "{summary}"
    '            <p class="tl-meta"><span class="tl-source">{source}</span>{members}</p>\n'
    "          </div>\n"
    "        </li>\n        "
)
ARTICLE_MEMBER = fragment(' · <a href="{url}">{name}</a>')


def _dates():
    """A function date → ``day_month_year(date)``, each distinct date formatted once (the party
    page lists hundreds, many the same)."""
    done = {}

    def label(value):
        if value not in done:
            done[value] = day_month_year(value)
        return done[value]

    return label


def current_member_items(members):
    """The ``<li>`` for each current member (``members``: ``Member`` rows)."""
    politician_url, label = slug_urls("articles:politician"), _dates()
    return join(
        CURRENT_MEMBER(
            url=politician_url(m.politician.slug),
            name=m.politician.name,
            since=label(m.start_date) if m.start_date else "an unknown date",
        )
        for m in members
    )


def former_member_items(former):
    """The ``<li>`` for each former member, with their spells in the party (``former``: rows
    with ``politician`` and ``spells``)."""
    politician_url, label = slug_urls("articles:politician"), _dates()
    return join(
        FORMER_MEMBER(
            url=politician_url(f["politician"].slug),
            name=f["politician"].name,
            spells=join(
                (
                    SPELL(
                        start=label(m.start_date) if m.start_date else "?",
                        end=label(m.end_date) if m.end_date else "?",
                    )
                    for m in f["spells"]
                ),
                "; ",
            ),
        )
        for f in former
    )


def party_article_items(articles):
    """The ``<li>`` for each of the party's latest ``articles`` (with their source and the
    party's members in each as ``party_mentions``)."""
    article_url, politician_url = article_urls(), slug_urls("articles:politician")
    items = []
    for article in articles:
        published_at = timezone.localtime(article.published_at)
        items.append(
            ARTICLE(
                iso=published_at.isoformat(),
                date=day_month_year(published_at),
                url=article_url(article),
                headline=article.headline,
                summary=summary_line(article, "            "),
                source=article.source.name,
                members=join(
                    ARTICLE_MEMBER(url=politician_url(m.politician.slug), name=m.politician.name)
                    for m in article.party_mentions
                ),
            )
        )
    return join(items)
