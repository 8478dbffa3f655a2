"""Every way the archive's politicians are named, and when each of them was in politics."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from articles.models import OtherName, PartyMembership, Politician, Role

from .text import without_accents

# A politician is a candidate for a name in an article only if a party membership or a role of
# theirs comes within this many years of the article's date: before the first one (candidates
# are in the news before they are elected) and after the last one (former ministers stay in
# it). Settings of the same names override them.
SUGGESTION_YEARS_BEFORE = 2
SUGGESTION_YEARS_AFTER = 5


# Words a party goes by besides its own name's.
PARTY_NICKNAMES = {"Conservative": ("Tory", "Tories", "Conservatives")}
PARTY_FILLER = {"Party", "The", "the", "of", "and", "for"}


def _party_words(name, short_name):
    words = {w for w in _tokens(name) if w not in PARTY_FILLER} | set(_tokens(short_name))
    for word in list(words):
        words.update(PARTY_NICKNAMES.get(word, ()))
    return frozenset(words)


def _tokens(name):
    return tuple(without_accents(name.replace("’", "'")).split())


def _years(on, years):
    """``on`` moved by ``years`` (29 February becomes 28 February when it must)."""
    try:
        return on.replace(year=on.year + years)
    except ValueError:
        return on.replace(year=on.year + years, day=28)


@dataclass
class Activity:
    """When a politician was in politics: their memberships' and roles' spans, and birth."""

    spans: list = field(default_factory=list)  # [(start or None, end or None)]
    birth: dt.date | None = None

    def fits(self, on, *, before, after):
        """Whether someone active so would be in the news on ``on``."""
        if self.birth and on < self.birth:
            return False
        if not self.spans:  # nothing on record: no date says they were not in politics
            return True
        return any(
            (start is None or on >= _years(start, -before))
            and (end is None or on <= _years(end, after))
            for start, end in self.spans
        )


@dataclass
class NameIndex:
    """Every way the archive's politicians are named, mapped to who they may be."""

    names: dict = field(default_factory=dict)  # full or other name (tuple of words) -> ids
    family: dict = field(default_factory=dict)  # family name (tuple of words) -> ids
    given: set = field(default_factory=set)  # every first name in the archive
    activity: dict = field(default_factory=dict)  # id -> Activity
    longest: int = 1
    parties: dict = field(default_factory=dict)  # id -> [(start, end, the party's words)]
    party_words: set = field(default_factory=set)  # every word a party goes by
    years_before: int = SUGGESTION_YEARS_BEFORE
    years_after: int = SUGGESTION_YEARS_AFTER

    @classmethod
    def build(cls, politicians=None):
        """Index all politicians (or the given queryset): names, other names, family names,
        and the spans of their memberships and roles."""
        politicians = politicians if politicians is not None else Politician.objects.all()
        index = cls(
            years_before=getattr(settings, "SUGGESTION_YEARS_BEFORE", SUGGESTION_YEARS_BEFORE),
            years_after=getattr(settings, "SUGGESTION_YEARS_AFTER", SUGGESTION_YEARS_AFTER),
        )
        rows = politicians.values_list("pk", "name", "given_name", "family_name", "birth_date")
        for pk, name, given_name, family_name, birth in rows:
            index.add(pk, name, given_name=given_name, family_name=family_name)
            index.activity[pk] = Activity(birth=birth)
        people = politicians.values("pk")
        aliases = OtherName.objects.filter(politician__in=people)
        for pk, name in aliases.values_list("politician_id", "name"):
            index.add(pk, name)
        for model in (PartyMembership, Role):
            spans = model.objects.filter(politician__in=people)
            for pk, start, end in spans.values_list("politician_id", "start_date", "end_date"):
                index.activity[pk].spans.append((start, end))
        memberships = PartyMembership.objects.filter(politician__in=people).values_list(
            "politician_id", "start_date", "end_date", "party__name", "party__short_name"
        )
        for pk, start, end, name, short_name in memberships:
            words = _party_words(name, short_name)
            index.parties.setdefault(pk, []).append((start, end, words))
            index.party_words.update(words)
        return index

    def add(self, politician_id, name, *, given_name=None, family_name=""):
        """Index ``name``, the family name alone, and (for a politician's own name, where
        ``given_name`` is passed, empty or not) the first name as a first name."""
        key = _tokens(name)
        if not key:
            return
        self.names.setdefault(key, set()).add(politician_id)
        self.longest = max(self.longest, len(key))
        family = _tokens(family_name)
        if family:
            self.family.setdefault(family, set()).add(politician_id)
        if given_name is not None:
            given = _tokens(given_name) or key[:1]
            if given != family:
                self.given.add(given[0])

    def of_party_named(self, ids, before, on):
        """Of ``ids`` (several), those who were members on ``on`` of a party that the words
        ``before`` a name call it by; all of ``ids`` when none or no party is named."""
        if len(ids) < 2:
            return ids
        named = self.party_words.intersection(before)
        if not named:
            return ids
        members = {
            pk
            for pk in ids
            for start, end, words in self.parties.get(pk, ())
            if words & named
            and (on is None or ((start is None or start <= on) and (end is None or on <= end)))
        }
        return members or ids

    def fitting(self, ids, on):
        """Those of ``ids`` who were in politics around the date ``on`` (all if no date)."""
        if on is None:
            return set(ids)
        before, after = self.years_before, self.years_after
        activity = self.activity
        return {
            pk
            for pk in ids
            if pk not in activity or activity[pk].fits(on, before=before, after=after)
        }
