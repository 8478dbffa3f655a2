"""Politicians and parties whose names are close to what someone typed or mistyped.

difflib over the names held in memory, here and nowhere else, so both databases give the same
answers: an archive has thousands of people at most. The 404 page, the politicians' search and
the article search ("Did you mean Jeremy Corbyn's page?") all ask here.
"""

import difflib
import re

from django.db.models import BooleanField, CharField, Value
from django.utils.text import slugify

from articles.models import OtherName, Party, Politician

CUTOFF = 0.7
LIMIT = 5
NAMED = 0.85  # how close the words of a search must be to a name to offer that person's page
WORD_CUTOFF = 0.6  # a name word this close to a typed word makes its people candidates
# Words that many names share: they count when whole names are compared, not one by one.
COMMON_WORDS = {"the", "of", "and", "party", "for"}


def _words(text):
    return [word for word in re.split(r"[-_\s]+", slugify(text)) if word]


def closeness(query, name):
    """How alike a slug and a name are, from 0 to 1: the better of the whole strings compared and
    the mean of each of the query's words matched to the name's closest word (so "corbin" finds
    "Jeremy Corbyn", and "jeremy-corbin" does not find Jeremy Hunt)."""
    query_words, name_words = _words(query), _words(name)
    if not query_words or not name_words:
        return 0.0
    whole = difflib.SequenceMatcher(None, "-".join(query_words), "-".join(name_words)).ratio()
    query_words = [w for w in query_words if w not in COMMON_WORDS]
    name_words = [w for w in name_words if w not in COMMON_WORDS]
    if not query_words or not name_words:
        return whole
    by_word = sum(max(_word_closeness(q, n) for n in name_words) for q in query_words)
    return max(whole, by_word / len(query_words))


def _word_closeness(typed, word):
    if len(typed) >= 3 and word.startswith(typed):  # "lib" for "liberal"
        return max(0.9, difflib.SequenceMatcher(None, typed, word).ratio())
    return difflib.SequenceMatcher(None, typed, word).ratio()


def _closest(query, rows, limit):
    """``rows`` of (object, names...) ranked by their closest name to ``query``."""
    scored = []
    for obj, *names in rows:
        score = max(closeness(query, name) for name in names if name)
        if score >= CUTOFF:
            scored.append((-score, str(obj), obj))
    return [obj for _, _, obj in sorted(scored, key=lambda row: row[:2])[:limit]]


def _politician_names():
    """{politician id: [name, slug, other names...]}, in one query."""
    main = (
        Politician.objects.order_by()
        .annotate(other=Value(False, output_field=BooleanField()))
        .values_list("pk", "name", "slug", "other")
    )
    others = OtherName.objects.order_by().annotate(
        slug=Value("", output_field=CharField()), other=Value(True, output_field=BooleanField())
    )
    rows = main.union(others.values_list("politician_id", "name", "slug", "other"), all=True)
    names, other_names = {}, []
    for pk, name, slug, other in rows:
        if other:
            other_names.append((pk, name))
        else:
            names[pk] = [name, slug]
    for pk, name in other_names:
        names[pk].append(name)
    return names


def close_politicians(query, *, limit=LIMIT, cutoff=CUTOFF):
    """[(id, closeness)] of the politicians whose name, slug or other name is close to
    ``query``, closest first (ties by name).

    Only those with a name word close to one of the query's words are compared in full: the
    words of every name are far fewer than the names, and ``get_close_matches`` skips most of
    them without comparing them.
    """
    names = _politician_names()
    by_word = {}
    for pk, those in names.items():
        for name in those:
            for word in _words(name):
                by_word.setdefault(word, set()).add(pk)
    vocabulary = list(by_word)
    if not vocabulary:
        return []
    candidates = set()
    for typed in set(_words(query)) - COMMON_WORDS:
        close = difflib.get_close_matches(typed, vocabulary, n=len(vocabulary), cutoff=WORD_CUTOFF)
        if len(typed) >= 3:
            close += [word for word in vocabulary if word.startswith(typed)]
        for word in close:
            candidates |= by_word[word]
    scored = []
    for pk in candidates:
        score = max(closeness(query, name) for name in names[pk] if name)
        if score >= cutoff:
            scored.append((-score, names[pk][0], pk))
    return [(pk, -score) for score, _, pk in sorted(scored)[:limit]]


def similar_politicians(query, limit=LIMIT):
    """Politicians whose name, slug or other name is close to ``query``, closest first."""
    ids = [pk for pk, _ in close_politicians(query, limit=limit)]
    found = Politician.objects.only("name", "slug").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def politicians_named(query, limit=3):
    """The politicians ``query`` names, allowing for small misspellings ("jeremy corbin"): the
    closest, and any as close, when they are close enough to mean them."""
    close = close_politicians(query, limit=limit, cutoff=NAMED)
    best = [pk for pk, score in close if score == close[0][1]] if close else []
    found = Politician.objects.only("name", "slug").in_bulk(best)
    return [found[pk] for pk in best if pk in found]


def similar_parties(query, limit=LIMIT):
    """Parties whose name, short name or slug is close to ``query``, closest first."""
    rows = [
        (p, p.name, p.short_name, p.slug) for p in Party.objects.only("name", "short_name", "slug")
    ]
    return _closest(query, rows, limit)
