"""The article page's lists: the politicians in the article, and its related articles."""

from django.template.defaultfilters import urlencode
from django.utils import timezone

from articles.web.templatetags.archive_tags import archive_date

from .fill import fragment, join
from .party_badge import party_badge
from .urls import article_urls, slug_urls

MENTION = fragment(
    '\n        <li class="mention">\n'
    '          <a class="mention-name" href="{url}">{name}</a>\n'
    '          <span class="mention-role">{role}</span>\n'
    "          {badge}\n"
    '          <a class="more-link" href="{list_url}?politician={slug}">More on {name}</a>\n'
    "        </li>\n        "
)
RELATED = fragment(
    '\n        <li><a href="{url}">{headline}</a>\n'
    '          <span class="related-meta"><time datetime="{iso}">{date}</time> · {source}</span>'
    "</li>\n        "
)


def mention_items(mentions, list_url):
    """The ``<li>`` for each politician in the article (``mentions``: confirmed mentions with
    their politician and party); ``list_url``: the article browser's address."""
    politician_url, party_url = slug_urls("articles:politician"), slug_urls("articles:party")
    return join(
        MENTION(
            url=politician_url(m.politician.slug),
            name=m.politician.name,
            role=m.get_role_display(),
            badge=party_badge(m.party, url=party_url(m.party.slug) if m.party else None),
            list_url=list_url,
            slug=urlencode(m.politician.slug),
        )
        for m in mentions
    )


def related_items(articles):
    """The ``<li>`` for each of the article's related ``articles`` (with their source)."""
    article_url = article_urls()
    return join(
        RELATED(
            url=article_url(article),
            headline=article.headline,
            iso=timezone.localtime(article.published_at).isoformat(),
            date=archive_date(article.published_at),
            source=article.source.name,
        )
        for article in articles
    )
