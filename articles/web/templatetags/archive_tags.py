"""Template helpers for the readers' pages: dates, party colours, query strings, snippets."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.formats import archive_date, is_hex_colour
from articles.io.exports.common import summary
from articles.search import parse

register = template.Library()

MARK_START, MARK_STOP = "\ue000", "\ue001"
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
EXCERPT_CHARS = 240


register.filter("archive_date", archive_date)


@register.filter(expects_localtime=True)
def day_month_year(value):
    """A date as “5 May 2005”, as ``date:"j M Y"`` gives it, formatted directly: the party page
    lists hundreds."""
    if value in (None, ""):
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year:04d}"


@register.filter
def partial_date(value, precision="day"):
    """``day_month_year``, or a partial date as its source gave it: “October 1924”, “1924”."""
    if value in (None, ""):
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{MONTHS[value.month]} {value.year:04d}"
    return day_month_year(value)


@register.filter
def css_colour(value, fallback="#767676"):
    """``value`` if it is a #RRGGBB colour, else a neutral grey: safe inside a style attribute."""
    return value if is_hex_colour(value) else fallback


@register.filter
def json_ld(value):
    """``value`` as a JSON-LD script element, escaped like ``json_script``."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL's query string with ``page`` set (dropped for the first page)."""
    params = context["request"].GET.copy()
    for key in [k for k, values in params.lists() if not any(v.strip() for v in values)]:
        params.pop(key)
    params.pop("page", None)
    if int(number) > 1:
        params["page"] = number
    query = params.urlencode()
    return f"?{query}" if query else "?"


def _marked(text, query):
    """``text`` escaped, with the words ``query`` looks for wrapped in <mark>."""
    out, last = [], 0
    for start, end in query.marks(text):
        out.append(escape(text[last:start]))
        out.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def _excerpt(text, query):
    marks = query.marks(text)
    first = marks[0][0] if marks else 0
    start = 0 if first < EXCERPT_CHARS // 2 else text.rfind(" ", 0, first - EXCERPT_CHARS // 3) + 1
    excerpt = text[start : start + EXCERPT_CHARS]
    if start + EXCERPT_CHARS < len(text):
        excerpt = excerpt.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + excerpt


@register.filter
def search_snippet(article, query):
    """Where ``query`` occurs in ``article``, with the words marked; escaped and safe.

    The browser annotates ``snippet`` with the database's own passage of the body (PostgreSQL's
    ``ts_headline``, SQLite's FTS5 ``snippet()``) with private marker characters around the
    matched words; without one (a search of excluded words only) the words are found here.
    """
    snippet = getattr(article, "snippet", None)
    if snippet:
        marker = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)
        out, last = [], 0
        for match in marker.finditer(snippet):
            out.append(escape(snippet[last : match.start()]))
            out.append(format_html("<mark>{}</mark>", match.group(1)))
            last = match.end()
        out.append(escape(snippet[last:]))
        return mark_safe("".join(out).replace(MARK_START, "").replace(MARK_STOP, ""))
    standfirst = " ".join(article.standfirst.split())
    body = " ".join(article.body.split())
    query = parse(query)
    # The standfirst unless only the body has the words.
    in_body_only = not query.marks(standfirst) and query.marks(body)
    text = body if in_body_only else standfirst or body
    return _marked(_excerpt(text, query), query)


@register.filter
def highlight(text, query):
    """``text`` escaped, with the words ``query`` looks for marked."""
    query = parse(query)
    return _marked(str(text), query) if query.marked_words() else text


@register.filter
def elided_pages(paginator, number):
    """Page numbers around ``number`` with the ends, gaps as ``paginator.ELLIPSIS``."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.filter(name="summary")
def article_summary(article):
    """What a list says under the article's headline: ``summary``, one home for it."""
    return summary(article)


@register.filter
def http_url(value):
    """``value`` if it is an http(s) URL (safe to link to), else an empty string."""
    return value if isinstance(value, str) and re.match(r"^https?://", value, re.I) else ""


@register.filter
def without_keys(pairs, keys):
    """(name, value) pairs whose name is not in the comma-separated ``keys``."""
    leave_out = set(keys.split(","))
    return [(name, value) for name, value in pairs if name not in leave_out]


BAR = (
    '<rect class="{}" x="{x}" y="{y}" width="{width}" height="{height}" data-month="{month}" '
    'data-count="{count}"><title>{}</title></rect>'
)


@register.simple_tag(takes_context=True)
def coverage_bars(context, chart):
    """The SVG bars of a ``charts.CoverageChart``, one per month; those of the year in
    ``highlight`` (if the context has one) marked as selected."""
    highlight = context.get("highlight")
    # A chart has hundreds of bars: one format per bar, over values that are numbers or
    # escaped here, rather than format_html's escaping of every argument.
    return mark_safe(
        "\n".join(
            BAR.format(
                "bar bar--selected" if bar.month.year == highlight else "bar",
                escape(bar.label),
                **bar.svg,
            )
            for bar in chart.bars
        )
    )
