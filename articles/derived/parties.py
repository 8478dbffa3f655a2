"""Party on the date: which party a politician belonged to on a given day.

The rule: of the politician's memberships whose dates include the day (both ends inclusive; an
empty start or end is open), the one begun last decides, an empty start counting as the
earliest; of those begun the same day, the newest row. When none holds, the politician had no
party that day. (The database refuses overlapping memberships on PostgreSQL, so normally at most
one holds; the rule still says what happens when rows were loaded otherwise.)

It is stated twice, side by side: in SQL, for the database to apply to many mentions at once
(``holding``, ``DECIDING_ORDER``, ``party_subquery``), and in memory, for code that already has
the memberships (``deciding``, ``PartyHistory``). tests/test_party_rule.py holds the two equal on
random overlapping memberships.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import F, OuterRef, Q, Subquery

from articles.models import PartyMembership

# -- in SQL ------------------------------------------------------------------------------------

#: Memberships holding on a day, the deciding one first.
DECIDING_ORDER = (F("start_date").desc(nulls_last=True), F("id").desc())


def holding(on):
    """A condition on memberships: their dates include ``on`` (a date or an expression)."""
    return (Q(start_date__isnull=True) | Q(start_date__lte=on)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )


def deciding_memberships(memberships, on):
    """Of ``memberships`` (a queryset), those holding on ``on``, the deciding one first."""
    return memberships.filter(holding(on)).order_by(*DECIDING_ORDER)


def party_subquery(politician=None, on=None):
    """The id of the party of ``politician`` on ``on`` (expressions; by default the outer row's
    ``politician`` and ``published_on``, as on a mention), as a subquery."""
    politician = OuterRef("politician") if politician is None else politician
    on = OuterRef("published_on") if on is None else on
    memberships = PartyMembership.objects.filter(politician=politician)
    return Subquery(deciding_memberships(memberships, on).values("party")[:1])


def membership_of(politician, on):
    """The membership of ``politician`` (an instance or id) that decides their party on ``on``,
    or None (one query)."""
    memberships = PartyMembership.objects.filter(politician=politician).select_related("party")
    return deciding_memberships(memberships, on).first()


def party_of(politician, on):
    """The party of ``politician`` on ``on`` (None: no party that day)."""
    membership = membership_of(politician, on)
    return membership.party if membership else None


# -- in memory ---------------------------------------------------------------------------------


def holds(start, end, on):
    """Whether a span from ``start`` to ``end`` (inclusive; None is open) includes ``on``."""
    return (start is None or start <= on) and (end is None or on <= end)


def _deciding_key(start, pk):
    return (start is not None, start or dt.date.min, pk)


def deciding(memberships, on):
    """Of ``memberships`` (objects with ``start_date``, ``end_date`` and ``pk``), the one that
    decides the party on ``on``, or None."""
    holding_now = [m for m in memberships if holds(m.start_date, m.end_date, on)]
    return max(holding_now, key=lambda m: _deciding_key(m.start_date, m.pk), default=None)


class PartyHistory:
    """Many politicians' memberships, read once, answering "party on the date" in memory."""

    def __init__(self, rows=()):
        """``rows``: (politician id, start, end, party id, membership id)."""
        self.spans = defaultdict(list)
        for politician, start, end, party, pk in rows:
            self.spans[politician].append((start, end, party, pk))
        for spans in self.spans.values():
            spans.sort(key=lambda s: _deciding_key(s[0], s[3]), reverse=True)

    @classmethod
    def read(cls, memberships=None):
        """The history of ``memberships`` (a queryset; default: every membership)."""
        memberships = PartyMembership.objects.all() if memberships is None else memberships
        rows = memberships.order_by().values_list(
            "politician_id", "start_date", "end_date", "party_id", "id"
        )
        return cls(rows)

    def party_on(self, politician_id, on):
        """The id of the party of ``politician_id`` on ``on`` (None: no party that day)."""
        for start, end, party, _ in self.spans.get(politician_id, ()):
            if holds(start, end, on):
                return party
        return None
