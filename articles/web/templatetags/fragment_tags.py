"""Fragments a page repeats dozens of times, rendered in Python.

Timeline entries, article cards, party badges, the home page's lists, a chart's data table, the
timeline's topic options, the article page's politicians and related articles, and the party
page's latest articles and members: through the template language each costs an include or a
loop of variable lookups and filters, here a format string over escaped text. The timeline
entry, article card and party badge markup exists only here (templates use the
``timeline_entries``, ``article_cards`` and ``party_badge`` tags), and
tests/test_page_speed_equivalence.py pins it; the tags that replaced a template loop are held
equal to that loop.
"""

import html
import re

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import pluralize, urlencode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from articles.io.exports.common import summary

from .archive_tags import archive_date, css_colour, day_month_year, highlight, search_snippet

register = template.Library()


def _text(value):
    """``value`` escaped as ``{{ value }}`` escapes a plain string (``escape`` without the lazy
    wrapper)."""
    return html.escape(str(value))


URL_SAFE = re.compile(r"[-a-zA-Z0-9_]+\Z")


class UrlMaker:
    """``reverse(name, kwargs=...)`` for many rows, by filling in one reversed URL.

    reverse() puts a value made of letters, digits, "-" and "_" in the URL as it is (no
    quoting), so substituting such values into a URL reversed once with marker values gives the
    same string. Anything else, or markers that do not appear exactly once, go through
    reverse().
    """

    def __init__(self, name, **markers):
        self.name = name
        sample = reverse(name, kwargs=markers)
        texts = {key: str(value) for key, value in markers.items()}
        self.parts = None
        if all(sample.count(text) == 1 for text in texts.values()):
            order = sorted(texts, key=lambda key: sample.index(texts[key]))
            pieces, rest = [], sample
            for key in order:
                before, _, rest = rest.partition(texts[key])
                pieces += [before, key]
            self.parts = [*pieces, rest]

    def __call__(self, **kwargs):
        values = {key: str(value) for key, value in kwargs.items()}
        if self.parts is None or not all(URL_SAFE.match(v) for v in values.values()):
            return reverse(self.name, kwargs=kwargs)
        return "".join(values[part] if i % 2 else part for i, part in enumerate(self.parts))


def slug_urls(name):
    """A function slug → ``reverse(name, kwargs={"slug": slug})``."""
    maker = UrlMaker(name, slug="slug-marker")
    return lambda slug: maker(slug=slug)


def article_urls():
    """A function article → ``article.get_absolute_url()``."""
    maker = UrlMaker(
        "articles:detail", year=9876, month="month-marker", day="day-marker", slug="slug-marker"
    )

    def url(article):
        on = article.published_on
        return maker(year=on.year, month=f"{on.month:02d}", day=f"{on.day:02d}", slug=article.slug)

    return url


PARTY_BADGE = '<{} class="party-badge" style="--party-bg: {}; --party-fg: {}">{}</{}>\n'
NO_PARTY_BADGE = mark_safe(
    '<span class="party-badge party-badge--none">Independent / no party</span>\n'
)


@register.simple_tag
def party_badge(party, *, short=False, plain=False, url=None):
    """A party in its colour, as a link to its page, followed by a newline.

    ``party`` None gives "Independent / no party"; ``short`` shows the short name (the full name
    stays available to screen readers); ``plain`` renders a ``<span>`` instead of a link; ``url``
    is the party's address when already known. In a template:
    ``{% party_badge party short=True plain=True %}``.
    """
    if not party:
        return NO_PARTY_BADGE
    if short and party.short_name:
        name = (
            f'<span aria-hidden="true">{_text(party.short_name)}</span>'
            f'<span class="visually-hidden">{_text(party.name)}</span>'
        )
    else:
        name = _text(party.name)
    if plain:
        opening = "span"
    else:
        opening = f'a href="{_text(url if url is not None else party.get_absolute_url())}"'
    return mark_safe(
        PARTY_BADGE.format(
            opening,
            _text(css_colour(party.colour)),
            _text(css_colour(party.text_colour, "#ffffff")),
            name,
            "span" if plain else "a",
        )
    )


CARD = (
    '<article class="card">\n'
    '  <h3 class="card-title"><a href="{}">{}</a></h3>\n'
    '  <p class="card-meta"><time datetime="{}">{}</time> · {}</p>\n'
    "  {}\n"
    "  {}\n"
    "</article>\n"
)
CARD_PERSON = '<li><a href="{}">{}</a> {}</li>'


def article_card(article, q="", *, article_url, politician_url):
    """An article in a list: headline, date, source, summary (or, with a search ``q``, the
    headline and a snippet with its words marked) and up to four politicians with their party
    (``article``: an ``as_cards`` row)."""
    if q:
        headline = conditional_escape(highlight(article.headline, q))
        text = f'<p class="card-text">{conditional_escape(search_snippet(article, q))}</p>'
    else:
        headline = _text(article.headline)
        words = summary(article)
        text = f'<p class="card-text">{_text(words)}</p>' if words else ""
    mentions = article.public_mentions
    people = ""
    if mentions:
        items = "".join(
            CARD_PERSON.format(
                _text(politician_url(m.politician.slug)),
                _text(m.politician.name),
                party_badge(m.party, short=True, plain=True),
            )
            for m in mentions[:4]
        )
        more = (
            f'<li class="card-more">and {len(mentions) - 4} more</li>' if len(mentions) > 4 else ""
        )
        people = (
            '\n  <ul class="card-people" aria-label="Politicians in this article">\n'
            f"    {items}\n    {more}\n  </ul>\n  "
        )
    return CARD.format(
        _text(article_url(article)),
        headline,
        _text(timezone.localtime(article.published_at).isoformat()),
        _text(archive_date(article.published_at)),
        _text(article.source.name),
        text,
        people,
    )


@register.simple_tag
def article_cards(articles, q=""):
    """``<li>`` + ``article_card`` + ``</li>`` for each of ``articles``, with the words of ``q``
    marked."""
    article_url, politician_url = article_urls(), slug_urls("articles:politician")
    return mark_safe(
        "".join(
            f"<li>{article_card(a, q, article_url=article_url, politician_url=politician_url)}</li>"
            for a in articles
        )
    )


TIMELINE_ARTICLE = (
    '\n<li class="tl-entry tl-article">\n'
    '  <time datetime="{}">{}</time>\n'
    '  <div class="tl-body">\n'
    '    <a class="tl-headline" href="{}">{}</a>\n'
    "{}"
    '    <p class="tl-meta">\n'
    '      <span class="tl-role tl-role--{}">{}</span>\n'
    "      {}\n"
    '      <span class="tl-source">{}</span>\n'
    "    </p>\n"
    "  </div>\n"
    "</li>\n\n"
)
TIMELINE_SUMMARY = '{}<p class="tl-summary">{}</p>\n'


def _summary_line(article, indent):
    """The article's ``summary`` as a line of its own, indented by ``indent``; "" if it has none."""
    text = summary(article)
    return TIMELINE_SUMMARY.format(indent, _text(text)) if text else ""


# The site's one party badge (.party-badge in site.css), as elsewhere.
TIMELINE_PARTY = (
    '<a class="party-badge" href="{}" style="--party-bg: {}; --party-fg: {}" title="{}">{}</a>'
)
TIMELINE_NO_PARTY = mark_safe('<span class="party-badge party-badge--none">No party</span>')
TIMELINE_EVENT = (
    '\n<li class="tl-entry tl-event tl-event--{}"{}>\n'
    '  <time datetime="{}">{}</time>\n'
    '  <div class="tl-body"><strong>{}</strong>{}</div>\n'
    "</li>\n\n"
)


def timeline_entry(entry, *, article_url):
    """One ``timeline.Entry`` as a ``<li>``: an article with the role and party of the mention,
    or a change in the politician's career (with the party's badge when it has one)."""
    # A page has fifty: str.format over escaped text, not format_html's per-argument checks.
    party = entry.party
    if not entry.is_article:
        return TIMELINE_EVENT.format(
            _text(entry.kind),
            f' style="border-left-color: {_text(css_colour(party.colour))}"' if party else "",
            _text(entry.iso),
            _text(entry.date_label),
            _text(entry.text),
            f" {party_badge(party, short=True)}" if party else "",
        )
    mention = entry.mention
    article = mention.article
    if hasattr(mention, "article_body_start"):  # the timeline's rows load only the opening
        article.body_start = mention.article_body_start
    badge = TIMELINE_NO_PARTY
    if party:
        badge = TIMELINE_PARTY.format(
            _text(getattr(party, "url", None) or party.get_absolute_url()),
            _text(css_colour(party.colour)),
            _text(party.text_colour),
            _text(party.name),
            _text(party.short_name or party.name),
        )
    return TIMELINE_ARTICLE.format(
        _text(entry.iso),
        _text(entry.date_label),
        _text(article_url(article)),
        _text(article.headline),
        _summary_line(article, "    "),
        _text(mention.role),
        _text(mention.get_role_display()),
        badge,
        _text(article.source.name),
    )


@register.simple_tag
def timeline_entries(entries):
    """Every entry of a timeline year, as ``timeline_entry`` renders each."""
    article_url = article_urls()
    return mark_safe("".join(timeline_entry(e, article_url=article_url) for e in entries))


HOME_COVERED = (
    "\n        <li>\n"
    '          <a href="{}">{}</a>\n'
    "          {}\n"
    '          <a class="covered-count" href="{}?politician={}&amp;from={}&amp;to={}">'
    "{} article{}</a>\n"
    "        </li>\n        "
)
HOME_PARTY = "\n        <li>{}\n          {}</li>\n        "
HOME_PARTY_COUNT = (
    '<a class="covered-count" href="{}?party={}&amp;from={}&amp;to={}">{} in 30 days</a>'
)


@register.simple_tag
def home_covered(rows, list_url, since_day, newest_day):
    """The ``<li>`` of the home page's "Most covered" list, one per row of ``_most_covered``."""
    politician_url = slug_urls("articles:politician")
    window = [_text(list_url), _text(since_day), _text(newest_day)]
    return mark_safe(
        "".join(
            HOME_COVERED.format(
                _text(politician_url(row["politician__slug"])),
                _text(row["politician__name"]),
                party_badge(row["party"], short=True, plain=True),
                window[0],
                _text(urlencode(row["politician__slug"])),
                *window[1:],
                _text(intcomma(row["n"])),
                pluralize(row["n"]),
            )
            for row in rows
        )
    )


@register.simple_tag
def home_parties(parties, list_url, since_day, newest_day):
    """The ``<li>`` of the home page's list of parties, each with its 30-day count if any."""
    party_url = slug_urls("articles:party")
    window = [_text(list_url), _text(since_day), _text(newest_day)]
    items = []
    for party in parties:
        count = ""
        if party.coverage:
            count = HOME_PARTY_COUNT.format(
                window[0],
                _text(urlencode(party.slug)),
                *window[1:],
                _text(intcomma(party.coverage)),
            )
        items.append(HOME_PARTY.format(party_badge(party, url=party_url(party.slug)), count))
    return mark_safe("".join(items))


@register.simple_tag
def coverage_table_rows(chart):
    """The ``<tr>`` of a ``charts.CoverageChart``'s data table, one per year."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{row.year:d}</th>'
            + "".join(f"<td>{_text(cell)}</td>" for cell in row.cells)
            + f"<td>{row.total:d}</td></tr>\n          "
            for row in chart.rows
        )
    )


@register.simple_tag
def topic_options(topics, chosen):
    """An ``<option>`` per topic, ``chosen`` (a topic or None) selected."""
    return mark_safe(
        "".join(
            f'<option value="{_text(topic.slug)}"{" selected" if topic == chosen else ""}>'
            f"{_text(topic.name)}</option>"
            for topic in topics
        )
    )


MENTION_ITEM = (
    '\n        <li class="mention">\n'
    '          <a class="mention-name" href="{}">{}</a>\n'
    '          <span class="mention-role">{}</span>\n'
    "          {}\n"
    '          <a class="more-link" href="{}?politician={}">More on {}</a>\n'
    "        </li>\n        "
)


@register.simple_tag
def mention_items(mentions, list_url):
    """The article page's ``<li>`` for each politician in the article (``mentions``: confirmed
    mentions with their politician and party); ``list_url``: the article browser's address."""
    politician_url, party_url = slug_urls("articles:politician"), slug_urls("articles:party")
    list_url = _text(list_url)
    items = []
    for mention in mentions:
        politician, party = mention.politician, mention.party
        name = _text(politician.name)
        items.append(
            MENTION_ITEM.format(
                _text(politician_url(politician.slug)),
                name,
                _text(mention.get_role_display()),
                party_badge(party, url=party_url(party.slug) if party else None),
                list_url,
                _text(urlencode(politician.slug)),
                name,
            )
        )
    return mark_safe("".join(items))


RELATED_ITEM = (
    '\n        <li><a href="{}">{}</a>\n'
    '          <span class="related-meta"><time datetime="{}">{}</time> · {}</span></li>\n        '
)


@register.simple_tag
def related_items(articles):
    """The article page's ``<li>`` for each of its related ``articles`` (with their source)."""
    article_url = article_urls()
    return mark_safe(
        "".join(
            RELATED_ITEM.format(
                _text(article_url(article)),
                _text(article.headline),
                _text(timezone.localtime(article.published_at).isoformat()),
                _text(archive_date(article.published_at)),
                _text(article.source.name),
            )
            for article in articles
        )
    )


def _dates():
    """A function date → ``day_month_year(date)``, each distinct date formatted once (the party
    page lists hundreds, many the same)."""
    done = {}

    def label(value):
        if value not in done:
            done[value] = _text(day_month_year(value))
        return done[value]

    return label


CURRENT_MEMBER = '<li><a href="{}">{}</a> <span class="party-period">since {}</span></li>\n      '


@register.simple_tag
def current_member_items(members):
    """The party page's ``<li>`` for each current member (``members``: ``Member`` rows)."""
    politician_url, label = slug_urls("articles:politician"), _dates()
    return mark_safe(
        "".join(
            CURRENT_MEMBER.format(
                _text(politician_url(m.politician.slug)),
                _text(m.politician.name),
                label(m.start_date) if m.start_date else "an unknown date",
            )
            for m in members
        )
    )


FORMER_MEMBER = '<li><a href="{}">{}</a> <span class="party-period">{}</span></li>\n      '


@register.simple_tag
def former_member_items(former):
    """The party page's ``<li>`` for each former member, with their spells in the party
    (``former``: rows with ``politician`` and ``spells``)."""
    politician_url, label = slug_urls("articles:politician"), _dates()
    return mark_safe(
        "".join(
            FORMER_MEMBER.format(
                _text(politician_url(f["politician"].slug)),
                _text(f["politician"].name),
                "; ".join(
                    f"{label(m.start_date) if m.start_date else '?'} – "
                    f"{label(m.end_date) if m.end_date else '?'}"
                    for m in f["spells"]
                ),
            )
            for f in former
        )
    )


PARTY_ARTICLE = (
    '<li class="tl-entry tl-article">\n'
    '          <time datetime="{}">{}</time>\n'
    '          <div class="tl-body">\n'
    '            <a class="tl-headline" href="{}">{}</a>\n'
    "{}"
    '            <p class="tl-meta"><span class="tl-source">{}</span>{}</p>\n'
    "          </div>\n"
    "        </li>\n        "
)
PARTY_ARTICLE_MEMBER = ' · <a href="{}">{}</a>'


@register.simple_tag
def party_article_items(articles):
    """The party page's ``<li>`` for each of its latest ``articles`` (with their source and the
    party's members in each as ``party_mentions``)."""
    article_url, politician_url = article_urls(), slug_urls("articles:politician")
    items = []
    for article in articles:
        published_at = timezone.localtime(article.published_at)
        members = "".join(
            PARTY_ARTICLE_MEMBER.format(
                _text(politician_url(m.politician.slug)), _text(m.politician.name)
            )
            for m in article.party_mentions
        )
        items.append(
            PARTY_ARTICLE.format(
                _text(published_at.isoformat()),
                _text(day_month_year(published_at)),
                _text(article_url(article)),
                _text(article.headline),
                _summary_line(article, "            "),
                _text(article.source.name),
                members,
            )
        )
    return mark_safe("".join(items))
