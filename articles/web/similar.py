"""Politicians and parties whose names are close to a slug someone typed or mistyped.

difflib over the names, here and nowhere else: an archive has thousands of people at most, so a
404 page can afford to compare them all, on either database.
"""

import difflib
import re

from django.utils.text import slugify

from articles.models import Party, Politician

CUTOFF = 0.7
LIMIT = 5
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


def similar_politicians(query, limit=LIMIT):
    """Politicians whose name, slug or other name is close to ``query``, closest first."""
    people = Politician.objects.prefetch_related("other_names").only("name", "slug")
    rows = [(p, p.name, p.slug, *(o.name for o in p.other_names.all())) for p in people]
    return _closest(query, rows, limit)


def similar_parties(query, limit=LIMIT):
    """Parties whose name, short name or slug is close to ``query``, closest first."""
    rows = [
        (p, p.name, p.short_name, p.slug) for p in Party.objects.only("name", "short_name", "slug")
    ]
    return _closest(query, rows, limit)
