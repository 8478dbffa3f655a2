"""An option of a facet in the article browser: its label, its party's swatch, and its count or,
when chosen, a tick (a browse page lists a few hundred)."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString

from articles.web.templatetags.archive_tags import css_colour

from .fill import fragment, join

OPTION = fragment(
    '<li><a href="{url}" rel="nofollow"{chosen}>{swatch}<span class="facet-label">{label}</span>'
    " {tail}</a></li>"
)
SWATCH = fragment('<span class="swatch" style="--swatch: {colour}" aria-hidden="true"></span>')
COUNT = fragment(
    '<span class="facet-count"><span class="visually-hidden">: </span>{about}{count}'
    '<span class="visually-hidden"> article{plural}</span></span>'
)
CHOSEN = SafeString(' class="is-selected" aria-current="true"')
SELECTED = SafeString(
    '<span class="facet-tick" aria-hidden="true">✓</span>'
    '<span class="visually-hidden"> (selected; remove)</span>'
)
NOTHING = SafeString("")
ABOUT, PLURAL = SafeString("about "), SafeString("s")


def _number(n):
    """``intcomma`` (1234 → "1,234"), in one step for whole numbers."""
    return f"{n:,}" if type(n) is int else str(intcomma(n))


def facet_option(option):
    """One ``counting.Option`` as a ``<li>`` linking to the selection with it added (or, when
    selected, removed)."""
    swatch = SWATCH(colour=css_colour(option.party.colour)) if option.party else NOTHING
    if option.selected:
        return OPTION(
            url=option.url, chosen=CHOSEN, swatch=swatch, label=option.label, tail=SELECTED
        )
    count = COUNT(
        about=ABOUT if option.estimate else NOTHING,
        count=_number(option.count),
        plural=NOTHING if option.count == 1 else PLURAL,
    )
    return OPTION(url=option.url, chosen=NOTHING, swatch=swatch, label=option.label, tail=count)


def facet_options(facet):
    """The ``<li>`` of every option of ``facet``, one a line."""
    return join((facet_option(option) for option in facet.options), "\n")
