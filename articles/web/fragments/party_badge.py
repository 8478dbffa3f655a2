"""A party in its colour (``.party-badge`` in static/css/site.css), on every page that names
one."""

from django.utils.safestring import SafeString

from articles.web.templatetags.archive_tags import css_colour

from .fill import fragment

LINK = fragment(
    '<a href="{url}" class="party-badge" style="--party-bg: {bg}; --party-fg: {fg}">{name}</a>\n'
)
PLAIN = fragment(
    '<span class="party-badge" style="--party-bg: {bg}; --party-fg: {fg}">{name}</span>\n'
)
SHORT_NAME = fragment(
    '<span aria-hidden="true">{short_name}</span><span class="visually-hidden">{name}</span>'
)
NO_PARTY = SafeString('<span class="party-badge party-badge--none">Independent / no party</span>\n')

# The timeline's: the short name shown, the full name as the link's title.
TITLED = fragment(
    '<a class="party-badge" href="{url}" style="--party-bg: {bg}; --party-fg: {fg}"'
    ' title="{name}">{short_name}</a>'
)
TITLED_NO_PARTY = SafeString('<span class="party-badge party-badge--none">No party</span>')


def party_badge(party, *, short=False, plain=False, url=None):
    """A party in its colour, as a link to its page, followed by a newline.

    ``party`` None gives "Independent / no party"; ``short`` shows the short name (the full name
    stays available to screen readers); ``plain`` renders a ``<span>`` instead of a link; ``url``
    is the party's address when already known.
    """
    if not party:
        return NO_PARTY
    name = party.name
    if short and party.short_name:
        name = SHORT_NAME(short_name=party.short_name, name=name)
    bg, fg = css_colour(party.colour), css_colour(party.text_colour, "#ffffff")
    if plain:
        return PLAIN(bg=bg, fg=fg, name=name)
    return LINK(url=party.get_absolute_url() if url is None else url, bg=bg, fg=fg, name=name)


def titled_party_badge(party):
    """The timeline's badge: the short name (or the name) linking to the party's page (its
    ``url`` when already found), the full name as its title; "No party" for None."""
    if not party:
        return TITLED_NO_PARTY
    return TITLED(
        url=getattr(party, "url", None) or party.get_absolute_url(),
        bg=css_colour(party.colour),
        fg=css_colour(party.text_colour, "#ffffff"),
        name=party.name,
        short_name=party.short_name or party.name,
    )
