"""The archive's politicians as an import needs them: by reference, and their party on a day.

Read once per import, so that resolving mentions and their parties costs no query per article
(and can run away from the database connection, while earlier articles are being written).
"""

import datetime as dt
from collections import defaultdict

from articles.models import OtherName, PartyMembership, Politician

from .report import RecordError


class People:
    def __init__(self):
        self.by_popolo_id = dict(
            Politician.objects.exclude(popolo_id=None).values_list("popolo_id", "id")
        )
        self.by_name = defaultdict(set)
        for pk, name in Politician.objects.values_list("id", "name"):
            self.by_name[name.casefold()].add(pk)
        for pk, name in OtherName.objects.values_list("politician_id", "name"):
            self.by_name[name.casefold()].add(pk)
        self.memberships = defaultdict(list)
        rows = PartyMembership.objects.values_list(
            "politician_id", "start_date", "end_date", "party_id", "id"
        )
        for politician, start, end, party, pk in rows:
            self.memberships[politician].append((start, end, party, pk))
        for spans in self.memberships.values():
            # As Politician.party_on: the membership begun last wins (no start counts as
            # earliest), then the newest row.
            spans.sort(key=lambda s: (s[0] is not None, s[0] or dt.date.min, s[3]), reverse=True)

    def politician_id(self, reference):
        """The politician a mention names by Popolo id or by (other) name; RecordError if none
        or several."""
        if reference in self.by_popolo_id:
            return self.by_popolo_id[reference]
        ids = self.by_name.get(reference.casefold(), ())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            raise RecordError(f"the name {reference!r} fits several politicians; use a Popolo id")
        raise RecordError(f"unknown politician {reference!r}")

    def party_on(self, politician_id, on):
        """``Politician.party_on(on)`` for ``politician_id``, from the memberships read once."""
        for start, end, party, _ in self.memberships.get(politician_id, ()):
            if (start is None or start <= on) and (end is None or on <= end):
                return party
        return None
