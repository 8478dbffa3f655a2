"""The options of a facet in the article browser, rendered in Python.

A browse page lists a few hundred options; through the template language each costs a dozen
variable lookups and tags, here a format string over escaped text (``html.escape`` is what
Django's ``escape`` applies). tests/test_page_speed_equivalence.py holds the output equal to the
same markup built with ``format_html``.
"""

import html

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import mark_safe

from .archive_tags import css_colour

register = template.Library()

OPTION = '<li><a href="{}" rel="nofollow"{}>{}<span class="facet-label">{}</span> {}</a></li>'
SWATCH = '<span class="swatch" style="--swatch: {}" aria-hidden="true"></span>'
COUNT = (
    '<span class="facet-count"><span class="visually-hidden">: </span>{}{}'
    '<span class="visually-hidden"> article{}</span></span>'
)
CHOSEN = ' class="is-selected" aria-current="true"'
SELECTED = (
    '<span class="facet-tick" aria-hidden="true">✓</span>'
    '<span class="visually-hidden"> (selected; remove)</span>'
)


def _number(n):
    """``intcomma`` (1234 → "1,234"), in one step for whole numbers."""
    return f"{n:,}" if type(n) is int else html.escape(str(intcomma(n)))


def _option(option):
    swatch = SWATCH.format(html.escape(css_colour(option.party.colour))) if option.party else ""
    url, label = html.escape(option.url), html.escape(str(option.label))
    if option.selected:
        return OPTION.format(url, CHOSEN, swatch, label, SELECTED)
    count = COUNT.format(
        "about " if option.estimate else "",
        _number(option.count),
        "" if option.count == 1 else "s",
    )
    return OPTION.format(url, "", swatch, label, count)


@register.simple_tag
def facet_options(facet):
    """The ``<li>`` of every option of ``facet``."""
    return mark_safe("\n".join(_option(option) for option in facet.options))
