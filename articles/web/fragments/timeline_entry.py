"""One entry of a politician's timeline: an article with the role and party of the mention, or a
change in the politician's career."""

from django.utils.safestring import SafeString

from articles.io.exports.common import summary
from articles.web.templatetags.archive_tags import css_colour

from .fill import fragment, join
from .party_badge import party_badge, titled_party_badge
from .urls import article_urls

ARTICLE = fragment(
    '\n<li class="tl-entry">\n'
    '  <time datetime="{iso}">{date}</time>\n'
    '  <div class="tl-body">\n'
    '    <a class="tl-headline" href="{url}">{headline}</a>\n'
    "{summary}"
    '    <p class="tl-meta">\n'
    '      <span class="tl-role tl-role--{role}">{role_label}</span>\n'
    "      {badge}\n"
    '      <span class="tl-source">{source}</span>\n'
    "    </p>\n"
    "  </div>\n"
    "</li>\n\n"
)
SUMMARY = fragment('{indent}<p class="tl-summary">{text}</p>\n')
EVENT = fragment(
    '\n<li class="tl-entry tl-event tl-event--{kind}"{colour}>\n'
    '  <time datetime="{iso}">{date}</time>\n'
    '  <div class="tl-body"><strong>{text}</strong>{badge}</div>\n'
    "</li>\n\n"
)
EVENT_COLOUR = fragment(' style="border-left-color: {colour}"')
EVENT_BADGE = fragment(" {badge}")
NOTHING = SafeString("")


def summary_line(article, indent):
    """The article's ``summary`` as a line of its own, indented by ``indent``; "" if it has none."""
    text = summary(article)
    return SUMMARY(indent=indent, text=text) if text else NOTHING


def timeline_entry(entry, *, article_url):
    """One ``timeline.Entry`` as a ``<li>``: an article with the role and party of the mention,
    or a change in the politician's career (with the party's badge when it has one)."""
    party = entry.party
    if not entry.is_article:
        return EVENT(
            kind=entry.kind,
            colour=EVENT_COLOUR(colour=css_colour(party.colour)) if party else NOTHING,
            iso=entry.iso,
            date=entry.date_label,
            text=entry.text,
            badge=EVENT_BADGE(badge=party_badge(party, short=True)) if party else NOTHING,
        )
    mention = entry.mention
    article = mention.article
    if hasattr(mention, "article_body_start"):  # the timeline's rows load only the opening
        article.body_start = mention.article_body_start
    return ARTICLE(
        iso=entry.iso,
        date=entry.date_label,
        url=article_url(article),
        headline=article.headline,
        summary=summary_line(article, "    "),
        role=mention.role,
        role_label=mention.get_role_display(),
        badge=titled_party_badge(party),
        source=article.source.name,
    )


def timeline_entries(entries):
    """Every entry of a timeline year, as ``timeline_entry`` renders each."""
    article_url = article_urls()
    return join(timeline_entry(e, article_url=article_url) for e in entries)
