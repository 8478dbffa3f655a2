"""The options of a facet in the article browser, rendered in Python.

A browse page lists a few hundred options; through the template language each costs a dozen
variable lookups and tags, in Python a format string. The markup is the one
``templates/articles/list.html`` documents.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .archive_tags import css_colour

register = template.Library()

SELECTED = mark_safe(
    '<span class="facet-tick" aria-hidden="true">✓</span>'
    '<span class="visually-hidden"> (selected; remove)</span>'
)


def _option(option):
    swatch = (
        format_html(
            '<span class="swatch" style="--swatch: {}" aria-hidden="true"></span>',
            css_colour(option.party.colour),
        )
        if option.party
        else ""
    )
    if option.selected:
        return (
            option.url,
            mark_safe(' class="is-selected" aria-current="true"'),
            swatch,
            option.label,
            SELECTED,
        )
    count = format_html(
        '<span class="facet-count"><span class="visually-hidden">: </span>{}{}'
        '<span class="visually-hidden"> article{}</span></span>',
        "about " if option.estimate else "",
        intcomma(option.count),
        "" if option.count == 1 else "s",
    )
    return (option.url, "", swatch, option.label, count)


@register.simple_tag
def facet_options(facet):
    """The ``<li>`` of every option of ``facet``."""
    return format_html_join(
        "\n",
        '<li><a href="{}" rel="nofollow"{}>{}<span class="facet-label">{}</span> {}</a></li>',
        (_option(option) for option in facet.options),
    )
