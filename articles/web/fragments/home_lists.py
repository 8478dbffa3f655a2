"""The home page's two lists: the politicians most covered in the last 30 days, and the parties
with their 30-day counts."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import pluralize, urlencode
from django.utils.safestring import SafeString

from .fill import fragment, join
from .party_badge import party_badge
from .urls import slug_urls

COVERED = fragment(
    "\n        <li>\n"
    '          <a href="{url}">{name}</a>\n'
    "          {badge}\n"
    '          <a class="covered-count" href="{list_url}?politician={slug}&amp;from={since}'
    '&amp;to={until}">{count} article{plural}</a>\n'
    "        </li>\n        "
)
PARTY = fragment("\n        <li>{badge}\n          {count}</li>\n        ")
PARTY_COUNT = fragment(
    '<a class="covered-count" href="{list_url}?party={slug}&amp;from={since}&amp;to={until}">'
    "{count} in 30 days</a>"
)
NOTHING = SafeString("")


def home_covered(rows, list_url, since_day, newest_day):
    """The ``<li>`` of the home page's "Most covered" list, one per row of ``_most_covered``."""
    politician_url = slug_urls("articles:politician")
    return join(
        COVERED(
            url=politician_url(row["politician__slug"]),
            name=row["politician__name"],
            badge=party_badge(row["party"], short=True, plain=True),
            list_url=list_url,
            slug=urlencode(row["politician__slug"]),
            since=since_day,
            until=newest_day,
            count=intcomma(row["n"]),
            plural=pluralize(row["n"]),
        )
        for row in rows
    )


def home_parties(parties, list_url, since_day, newest_day):
    """The ``<li>`` of the home page's list of parties, each with its 30-day count if any."""
    party_url = slug_urls("articles:party")
    return join(
        PARTY(
            badge=party_badge(party, url=party_url(party.slug)),
            count=PARTY_COUNT(
                list_url=list_url,
                slug=urlencode(party.slug),
                since=since_day,
                until=newest_day,
                count=intcomma(party.coverage),
            )
            if party.coverage
            else NOTHING,
        )
        for party in parties
    )
