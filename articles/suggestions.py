"""Mention suggestions: find politicians' names in an article's text.

Names are matched as runs of capitalised words, so "Corbyn's", "anti-Corbyn" and
"David Cameron-led" all count, and "the brown envelope" does not. A politician is found by their
name, any other name, or their family name used alone. A name that fits more than one politician
is reported as ambiguous, unless the same text names exactly one of them unambiguously elsewhere
("Gordon Brown … Brown's defeat"). Family names that are also everyday words ("May") only count
when the text names that politician in full as well.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from . import derived
from .models import AmbiguousName, Mention, OtherName, Politician

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Each word, and an empty string for each stretch of other non-space characters between words.
WORD_OR_SEPARATOR = re.compile(rf"({WORD.pattern})|(?:[^\s\w]|[\d_])+")
# The same for ASCII text, matched twice as fast.
ASCII_WORD_OR_SEPARATOR = re.compile(r"([A-Za-z]+(?:['\-][A-Za-z]+)*)|[^\sA-Za-z]+")
PARTICLES = {"de", "del", "della", "der", "di", "du", "da", "la", "le", "van", "von", "bin", "al"}
# Family names that are also everyday words count alone only if the text names the person in full.
EVERYDAY_WORDS = {
    "May", "March", "June", "July", "August", "Green", "Hunt", "Field", "Long", "Young", "Little",
    "Love", "Hope", "Church", "Bell", "Cash", "Rich", "Wood", "West", "North", "Marsh", "Gray",
    "Grey", "King", "Lord", "Short", "Hall", "Mann", "Kind", "Chance", "Speaker", "Black", "White",
}  # fmt: skip


def _tokens(name):
    return tuple(name.replace("’", "'").split())


@dataclass
class NameIndex:
    """Every way the archive's politicians are named, mapped to who they may be."""

    names: dict = field(default_factory=dict)  # tuple of words -> set of politician ids
    family_only: set = field(default_factory=set)  # keys that are only ever a family name
    full_names: set = field(default_factory=set)
    longest: int = 1

    @classmethod
    def build(cls, politicians=None):
        """Index all politicians (or the given queryset): names, other names, family names."""
        politicians = politicians if politicians is not None else Politician.objects.all()
        index = cls()
        rows = politicians.values_list("pk", "name", "family_name")
        for pk, name, family_name in rows:
            index.add(pk, name)
            if family_name:
                index.add(pk, family_name, family_only=True)
        aliases = OtherName.objects.filter(politician__in=politicians.values("pk"))
        for pk, name in aliases.values_list("politician_id", "name"):
            index.add(pk, name)
        return index

    def add(self, politician_id, name, *, family_only=False):
        key = _tokens(name)
        if not key:
            return
        self.names.setdefault(key, set()).add(politician_id)
        if not family_only:
            self.full_names.add(key)
            self.family_only.discard(key)
        elif key not in self.full_names:
            self.family_only.add(key)
        self.longest = max(self.longest, len(key))


@dataclass
class NameMatches:
    found: set = field(default_factory=set)  # politician ids named unambiguously
    ambiguous: dict = field(default_factory=dict)  # the name as written -> candidate ids


def _word(raw):
    """(word, ends_run) for a word as written; possessives and hyphenated affixes trimmed."""
    word, ends_run = raw.replace("’", "'"), False
    if "-" in word:
        head, _, tail = word.partition("-")
        if head[:1].islower():  # anti-Corbyn
            word = tail
        elif tail[:1].islower():  # Cameron-led
            word, ends_run = head, True
    if word.endswith("'s"):
        word, ends_run = word[:-2], True
    return word, ends_run


def _runs(text):
    """Runs of capitalised words (name particles allowed inside), as tuples of words."""
    runs, run, separated = [], [], False
    words = ASCII_WORD_OR_SEPARATOR if text.isascii() else WORD_OR_SEPARATOR
    for raw in words.findall(text):
        if not raw:  # punctuation or digits: the words either side are not adjacent
            separated = True
            continue
        if "-" in raw or "'" in raw or "’" in raw:
            word, ends_run = _word(raw)
            capital = word[:1].isupper()
        else:
            word, ends_run, capital = raw, False, raw[0].isupper()
            if not capital and raw not in PARTICLES:  # most words: they only end a run
                if run:
                    runs.append(tuple(run))
                    run = []
                continue
        if capital:
            if run and separated:
                runs.append(tuple(run))
                run = []
            run.append(word)
        elif run and not separated and word in PARTICLES:
            run.append(word)
        elif run:
            runs.append(tuple(run))
            run = []
        separated = False
        if ends_run and run:
            runs.append(tuple(run))
            run = []
    if run:
        runs.append(tuple(run))
    return runs


def _hits(text, index):
    """(key, candidate ids) for each name found in ``text``, longest names first."""
    names, longest, hits = index.names, index.longest, []
    for run in _runs(text):
        start, size = 0, len(run)
        while start < size:
            for length in range(min(longest, size - start), 0, -1):
                key = run[start : start + length]
                ids = names.get(key)
                if ids is not None:
                    hits.append((key, ids))
                    start += length
                    break
            else:
                start += 1
    return hits


def find_names(text, index):
    """The politicians ``text`` names, and the names in it that fit several politicians."""
    hits = _hits(text or "", index)
    named_in_full = {
        next(iter(ids)) for key, ids in hits if len(ids) == 1 and key not in index.family_only
    }
    result = NameMatches()
    for key, ids in hits:
        if key in index.family_only and key[0] in EVERYDAY_WORDS and len(key) == 1:
            result.found |= ids & named_in_full
            continue
        if len(ids) == 1:
            result.found |= ids
            continue
        resolved = ids & named_in_full
        if len(resolved) == 1:
            result.found |= resolved
        else:
            result.ambiguous.setdefault(" ".join(key), set()).update(ids)
    # A name that is ambiguous in one place but whose every candidate is named in full is settled.
    for name, ids in list(result.ambiguous.items()):
        if ids <= result.found:
            del result.ambiguous[name]
    return result


def article_text(article):
    return "\n".join([article.headline, article.standfirst, article.body])


@transaction.atomic
def suggest_mentions(article, *, index=None, confirm_unambiguous=False):
    """Add suggested mentions for names in ``article`` that it does not link yet.

    Never touches existing mentions (a rejected one keeps its politician from being suggested
    again). Ambiguous names are recorded for the editor, and dropped once one of their
    candidates is linked. Returns the newly added politicians and the open ambiguities.
    """
    index = index or NameIndex.build()
    matches = find_names(article_text(article), index)
    linked = set(article.mentions.values_list("politician_id", flat=True))
    new = sorted(matches.found - linked)
    state = Mention.State.CONFIRMED if confirm_unambiguous else Mention.State.SUGGESTED
    if new:
        # Confirmed mentions count in the stored per-month counts (suggested ones do not).
        tracked = [article.pk] if confirm_unambiguous else []
        with derived.change(tracked) as block:
            Mention.objects.bulk_create(
                [Mention(article=article, politician_id=pk, state=state) for pk in new]
            )
            block.dates_changed([article.pk])  # the new mentions' copies of date and party
    linked |= set(new)
    open_names = {name: ids for name, ids in matches.ambiguous.items() if not ids & linked}
    article.ambiguous_names.exclude(name__in=open_names).delete()
    for name, ids in open_names.items():
        ambiguous, _ = AmbiguousName.objects.get_or_create(article=article, name=name)
        ambiguous.candidates.set(ids)
    return NameMatches(found=set(new), ambiguous=open_names)


def suggest_for_articles(articles, *, confirm_unambiguous=False):
    """Run ``suggest_mentions`` over many articles with one name index; returns how many added."""
    index = NameIndex.build()
    return sum(
        len(suggest_mentions(a, index=index, confirm_unambiguous=confirm_unambiguous).found)
        for a in articles
    )
