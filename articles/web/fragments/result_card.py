"""An article in a list of results (the browser, search, the home page, a topic): headline,
date, source, summary and up to four politicians with their party."""

from django.utils import timezone
from django.utils.safestring import SafeString

from articles.io.exports.common import summary
from articles.web.templatetags.archive_tags import archive_date, highlight, search_snippet

from .fill import fragment, join
from .party_badge import party_badge
from .urls import article_urls, slug_urls

CARD = fragment(
    '<article class="card">\n'
    '  <h3 class="card-title"><a href="{url}">{headline}</a></h3>\n'
    '  <p class="card-meta"><time datetime="{iso}">{date}</time> · {source}</p>\n'
    "  {text}\n"
    "  {people}\n"
    "</article>\n"
)
TEXT = fragment('<p class="card-text">{text}</p>')
PEOPLE = fragment(
    '\n  <ul class="card-people" aria-label="Politicians in this article">\n'
    "    {items}\n    {more}\n  </ul>\n  "
)
PERSON = fragment('<li><a href="{url}">{name}</a> {badge}</li>')
ITEM = fragment("<li>{card}</li>")
MORE = fragment('<li class="card-more">and {count} more</li>')
PEOPLE_SHOWN = 4
NOTHING = SafeString("")


def article_card(article, q="", *, article_url, politician_url):
    """An article in a list: headline, date, source, summary (or, with a search ``q``, the
    headline and a snippet with its words marked) and up to four politicians with their party
    (``article``: an ``as_cards`` row)."""
    if q:
        headline = highlight(article.headline, q)
        text = TEXT(text=search_snippet(article, q))
    else:
        headline = article.headline
        words = summary(article)
        text = TEXT(text=words) if words else NOTHING
    mentions = article.public_mentions
    people = NOTHING
    if mentions:
        items = join(
            PERSON(
                url=politician_url(m.politician.slug),
                name=m.politician.name,
                badge=party_badge(m.party, short=True, plain=True),
            )
            for m in mentions[:PEOPLE_SHOWN]
        )
        hidden = len(mentions) - PEOPLE_SHOWN
        people = PEOPLE(items=items, more=MORE(count=hidden) if hidden > 0 else NOTHING)
    published_at = article.published_at
    return CARD(
        url=article_url(article),
        headline=headline,
        iso=timezone.localtime(published_at).isoformat(),
        date=archive_date(published_at),
        source=article.source.name,
        text=text,
        people=people,
    )


def article_cards(articles, q=""):
    """``<li>`` + ``article_card`` + ``</li>`` for each of ``articles``, with the words of ``q``
    marked."""
    article_url, politician_url = article_urls(), slug_urls("articles:politician")
    return join(
        ITEM(card=article_card(a, q, article_url=article_url, politician_url=politician_url))
        for a in articles
    )
