"""The words around a family name that tell whether it names a politician.

- **Everyday words** come from the ``english-words`` package (pinned in requirements.txt): a
  word is everyday when both of its dictionaries list it, ``web2`` (Webster's Second
  International) in lower case and ``gcide`` (the GNU edition of Webster's 1913) at all, or
  list its singular ("Balls"). So "brown", "key", "welsh", "straw" and "may" are everyday
  words, while "Milton" (capitalised only) is not, nor are web2's rare Scots and dialect words
  that gcide lacks ("blair", "hoon", "benn", "kelly").
- **Places** are a curated list, ``data/places.txt``: British places whose names are also
  family names ("Milton", "Preston", "Lincoln").
- **First names** are the given names of everyone in the archive (see ``NameIndex``), so the
  loaded data itself says that "David", "Andrew" and "Howard" are first names.
"""

import functools
from pathlib import Path

from english_words import get_english_words_set

# Before a family name: the family name follows ("Mr Howard").
HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss", "Dr", "Messrs"})
# Before a name, these make it someone else's name: "Lord Goldsmith" is not Zac Goldsmith, and
# after "Sir" or "Dame" comes a first name ("Sir Howard Newby" is not Michael Howard).
TITLES = frozenset(
    {
        "Lord", "Lady", "Baroness", "Baron", "Viscount", "Viscountess", "Earl", "Countess",
        "Duke", "Duchess", "Marquess", "Prince", "Princess", "King", "Queen", "Sir", "Dame",
        "Saint", "St", "Pope", "Archbishop", "Bishop", "Cardinal", "Rev", "Reverend", "Father",
        "Sister", "Brother", "President", "Senator", "Governor", "General", "Gen", "Judge",
        "Justice", "Professor", "Prof", "Chief", "Inspector", "Det", "Sgt", "Captain", "Capt",
        "Colonel", "Col", "Major", "Admiral", "Commander", "Mayor",
    }
)  # fmt: skip
# Capitalised words that may stand before a politician's family name in a run: parties and
# posts ("Tory Howard", "Chancellor Brown") beside the everyday words that start a sentence.
POLITICAL_WORDS = frozenset(
    {
        "MP", "MPs", "MEP", "MEPs", "MSP", "MSPs", "AM", "Lib", "Dem", "Dems", "LibDem",
        "Labour", "Tory", "Tories", "Conservative", "Conservatives", "Liberal", "Democrat",
        "Democrats", "Plaid", "Cymru", "SNP", "UKIP", "DUP", "UUP", "SDLP", "Unionist",
        "Minister", "Ministers", "Secretary", "Chancellor", "Shadow", "Deputy", "Prime", "Home",
        "Foreign", "Leader", "Opposition", "Whip", "Speaker", "Commons", "Commissioner",
    }
)  # fmt: skip

PLACES_FILE = Path(__file__).resolve().parent / "data" / "places.txt"


@functools.cache
def everyday_words():
    """The words both dictionaries list (read once per process, in about 0.2 s)."""
    web2 = {w for w in get_english_words_set(["web2"], alpha=True) if w.islower()}
    return frozenset(web2 & get_english_words_set(["gcide"], alpha=True, lower=True))


@functools.cache
def places():
    lines = PLACES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and line[0] != "#")


def is_everyday_word(word):
    """Whether ``word`` (as written, capitalised) is an ordinary English word."""
    lower, words = word.lower(), everyday_words()
    return lower in words or (lower.endswith("s") and lower[:-1] in words)


def is_place(word):
    return word in places()
