"""The archive's politicians as an import needs them: by reference, and their party on a day.

Read once per import, so that resolving mentions and their parties costs no query per article
(and can run away from the database connection, while earlier articles are being written).
"""

from collections import defaultdict

from articles.derived.parties import PartyHistory
from articles.models import OtherName, Politician

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
        self.parties = PartyHistory.read()

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
        """The party of ``politician_id`` on ``on``, from the memberships read once."""
        return self.parties.party_on(politician_id, on)
