"""The search syntax readers type, parsed in one place.

::

    election               a word: also finds "elections", "elected" (words are stemmed)
    brexit deal            every word, anywhere in the headline, standfirst or body
    "vote of confidence"   the words in this order
    corbyn -labour         corbyn, leaving out articles with labour (-"a phrase" too)
    corbyn or farage       either one (``OR`` too)

``or`` separates alternatives, each a group of words that must all be there: ``labour corbyn or
farage`` finds articles with both labour and corbyn, and those with farage. That is how
PostgreSQL's ``websearch_to_tsquery`` reads it, which was the archive's search syntax first.

``parse`` turns a search into a ``Query``: alternatives of terms (words or phrases, wanted or
excluded). Each database backend renders the same ``Query`` (``articles.backends``), so both
answer a search the same way, and the pages mark the same words (``Query.marked_words``).

Very common words ("the", "an", "of": PostgreSQL's English stop words) are left out, as
PostgreSQL leaves them out, and so is punctuation: any text parses, and a search made of
nothing else has no terms (``Query`` is then false) and matches no article.
"""

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import snowballstemmer

# PostgreSQL's English stop words (tsearch_data/english.stop, the Snowball list); the tests
# check them against the database's own on PostgreSQL.
ENGLISH_STOP_LIST = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(ENGLISH_STOP_LIST.split())
# PostgreSQL ignores longer words ("word is too long to be indexed").
LONGEST_WORD = 2047

_PIECE = re.compile(r'(?P<minus>-*)"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_WORD = re.compile(r"[^\W_]+")


# PostgreSQL stems with Snowball's English stemmer, SQLite's index with the Porter stemmer.
_STEMMERS = [snowballstemmer.stemmer("english"), snowballstemmer.stemmer("porter")]


@lru_cache(maxsize=4096)
def _stems(word):
    """``word`` (lower case) and its stems by both stemmers."""
    return frozenset([word, *(stemmer.stemWord(word) for stemmer in _STEMMERS)])


def words_of(text):
    """The words of ``text`` as the search indexes see them: runs of letters and digits,
    lower-cased."""
    return [w for w in _WORD.findall(text.lower()) if len(w) <= LONGEST_WORD]


@dataclass(frozen=True)
class Term:
    """A word or a "quoted phrase" of a search."""

    text: str  #: as typed, without the quotes or a leading "-"
    words: tuple[str, ...]  #: ``words_of(text)``
    excluded: bool = False  #: typed with a "-": articles with it are left out

    @property
    def searched_words(self):
        """The words an article must have in this order: stop words at either end dropped
        (PostgreSQL skips them), those inside kept (for a phrase such as "vote of
        confidence")."""
        words = list(self.words)
        while words and words[0] in STOP_WORDS:
            words.pop(0)
        while words and words[-1] in STOP_WORDS:
            words.pop()
        return tuple(words)


@dataclass(frozen=True)
class Query:
    """A parsed search: articles matching every term of at least one of ``alternatives``."""

    alternatives: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self):
        return bool(self.alternatives)

    def terms(self):
        """Every term, in the order typed."""
        return [term for group in self.alternatives for term in group]

    def marked_words(self):
        """The words a reader looked for (not stop words, not excluded ones), once each."""
        words = (w for t in self.terms() if not t.excluded for w in t.words)
        return list(dict.fromkeys(w for w in words if w not in STOP_WORDS))

    @cached_property
    def _marking(self):
        stems = frozenset().union(*map(_stems, self.marked_words()))
        # A word with one of these stems starts with all of it but its last letter ("may"
        # and "mays" stem to "mai"): only such words are stemmed to be sure.
        starts = sorted({stem if len(stem) <= 2 else stem[:-1] for stem in stems}, key=len)
        if not starts:
            return stems, None
        alternatives = "|".join(map(re.escape, reversed(starts)))
        return stems, re.compile(rf"(?<![^\W_])(?:{alternatives})[^\W_]*", re.IGNORECASE)

    def marks(self, text):
        """The (start, end) of each word of ``text`` that the search looks for: one of
        ``marked_words`` or a word of the same stem, as the databases match them."""
        stems, candidates = self._marking
        if candidates is None:
            return []
        return [
            match.span()
            for match in candidates.finditer(text)
            if _stems(match.group().lower()) & stems
        ]


@lru_cache(maxsize=512)
def parse(text):
    """The ``Query`` of ``text`` in the syntax above; never fails.

    An unclosed quote runs to the end; ``or`` at either end, doubled, or excluded (``-or``) is
    dropped; a term with no words but stop words, or none at all (``*``, ``-``, ``NEAR(``), is
    dropped, and so is an alternative left with no terms.
    """
    alternatives, group = [], []
    for piece in _PIECE.finditer(text or ""):
        if piece["word"] is not None:
            word = piece["word"]
            if word.lower() == "or":
                alternatives.append(group)
                group = []
                continue
            stripped = word.lstrip("-")
            term = Term(stripped, tuple(words_of(stripped)), excluded=stripped != word)
        else:
            phrase = piece["phrase"]
            term = Term(phrase, tuple(words_of(phrase)), excluded=bool(piece["minus"]))
        if term.searched_words:
            group.append(term)
    alternatives.append(group)
    return Query(tuple(tuple(group) for group in alternatives if group))
