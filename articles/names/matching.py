"""Find the archive's politicians in a text, as an editor would.

A full name ("Michael Howard") or another recorded name ("Lord Prescott") names its politician
wherever it stands. A family name used alone names a politician only when:

- the text names that politician in full somewhere too ("Gordon Brown … Brown said"); or
- it follows Mr, Mrs, Ms, Miss or Dr ("Mr Howard"), and one politician fits; or
- it stands alone (at most after everyday or political words: "But Howard", "Tory Howard"),
  one politician fits, and it is not an everyday word, a place or anyone's first name
  ("Welsh councils", "Key", "Milton", "David" are not Andrew Welsh, Robert Key, Anne Milton and
  Wayne David).

It is never a family name inside a longer capitalised phrase ("Milton Keynes", "Key Stages"),
after a first name that makes someone else's full name ("Dr David Kelly", "Sir Howard Newby"),
or after a title ("Lord Goldsmith" is not Zac Goldsmith). Such a phrase also marks the family
name as someone else's for the rest of the text ("Dr David Kelly … Dr Kelly").

Only politicians who were in politics around the text's date fit (see ``NameIndex.fitting``).
A name that two or more of those fit, and that the text does not settle, is ambiguous.

A party named just before a name that fits several politicians ("Labour's John Smith", "Tory MP
John Smith") narrows it to those who were members of that party on the text's date.

Each politician found gets a suggested role in the text (``NameMatches.role``): "subject" when the
first line (an article's headline) names them, "quoted" when a sentence that names them has
said, says, told, tells or according to in it, else "mentioned".
"""

import re
from dataclasses import dataclass, field

from articles.models import Mention

from .text import runs, sentence_at, word_offset
from .words import HONORIFICS, POLITICAL_WORDS, TITLES, is_everyday_word, is_place

BARE, HONORIFIC = "bare", "honorific"
PARTY_WINDOW = 3  # words before a name that may name its party ("Labour MP John Smith")
SPEECH = re.compile(r"\b(?:said|says|told|tells|according\s+to)\b", re.IGNORECASE)


@dataclass
class NameMatches:
    found: set = field(default_factory=set)  # politician ids named unambiguously
    ambiguous: dict = field(default_factory=dict)  # the name as written -> candidate ids
    text: str = ""
    where: dict = field(default_factory=dict)  # politician id or ambiguous name -> word number
    places: dict = field(default_factory=dict)  # politician id -> every word number naming them

    def sentence(self, key):
        """The sentence where politician id (or ambiguous name) ``key`` is named: the first
        time in full, else the first time at all."""
        token = self.where.get(key)
        return "" if token is None else sentence_at(self.text, word_offset(self.text, token))

    def sentences(self):
        """{politician id: the sentence where the text first names them} for ``found``."""
        return {pk: self.sentence(pk) for pk in sorted(self.found)}

    def role(self, pk):
        """The role to suggest for politician ``pk`` in the text: subject when the first line
        (the headline) names them, quoted when a sentence naming them reports speech (said,
        told, according to), else mentioned."""
        offsets = [word_offset(self.text, token) for token in self.places.get(pk, ())]
        first_line = self.text.find("\n")
        if first_line >= 0 and any(offset < first_line for offset in offsets):
            return Mention.Role.SUBJECT
        if any(SPEECH.search(sentence_at(self.text, offset)) for offset in offsets):
            return Mention.Role.QUOTED
        return Mention.Role.MENTIONED


def _lead_in(word, given_names):
    """Whether ``word`` may stand before a politician's family name in a run."""
    if word in TITLES or word in given_names:
        return False
    return word in POLITICAL_WORDS or is_everyday_word(word)


def _family_hit(words, index):
    """(key, form) for a family name ending ``words``, form None when the words make someone
    else's name; None when they end in no family name."""
    family = index.family
    for length in range(len(words), 0, -1):
        key = tuple(words[-length:])
        if key not in family:
            continue
        before = words[:-length]
        if not before:
            return key, BARE
        if before[-1] in HONORIFICS:
            return key, HONORIFIC
        if all(_lead_in(word, index.given) for word in before):
            return key, BARE
        return key, None
    return None


def _restricted(key, index):
    """Family names that alone do not name anyone: everyday words, places, first names."""
    if len(key) != 1:
        return False
    word = key[0]
    return word in index.given or is_everyday_word(word) or is_place(word)


def find_names(text, index, on=None):
    """The politicians ``text`` names, and the names in it that fit several politicians;
    ``on`` is the text's date (None: anyone fits)."""
    text = text or ""
    full, family_uses, taken = [], [], set()
    names, longest = index.names, index.longest
    previous, previous_end = (), -1
    for words, first in runs(text):
        # The words just before each name, for a party named there ("Labour's John Smith").
        lead = previous if previous_end == first else ()
        start, size, tail = 0, len(words), 0
        while start < size:
            for length in range(min(longest, size - start), 0, -1):
                key = tuple(words[start : start + length])
                ids = names.get(key)
                if ids is not None:
                    before = (*lead, *words[:start])[-PARTY_WINDOW:]
                    full.append((key, ids, first + start, before))
                    start += length
                    tail = start
                    break
            else:
                start += 1
        if tail == 0:  # a family name stands at the end of a run with no full name in it
            hit = _family_hit(words, index)
            if hit is not None:
                key, form = hit
                if form is None:
                    taken.add(key)
                else:
                    before = (*lead, *words[: size - len(key)])[-PARTY_WINDOW:]
                    family_uses.append((key, form, first + size - len(key), before))
        previous, previous_end = words, first + size

    result = NameMatches(text=text)
    found, where, ambiguous = result.found, result.where, result.ambiguous

    def link(pk, token):
        found.add(pk)
        where.setdefault(pk, token)
        result.places.setdefault(pk, []).append(token)

    def unclear(name, ids, token):
        ambiguous.setdefault(name, set()).update(ids)
        where.setdefault(name, token)

    for _key, ids, token, before in full:
        fitting = index.of_party_named(index.fitting(ids, on), before, on)
        if len(fitting) == 1:
            link(next(iter(fitting)), token)
    named_in_full = set(found)
    for key, ids, token, before in full:
        fitting = index.of_party_named(index.fitting(ids, on), before, on)
        if len(fitting) > 1 and not fitting & named_in_full:
            unclear(" ".join(key), fitting, token)

    for key, form, token, before in family_uses:
        fitting = index.of_party_named(index.fitting(index.family[key], on), before, on)
        named = fitting & named_in_full
        if named:
            if len(named) == 1:
                link(next(iter(named)), token)
            continue
        if key in taken or not fitting:
            continue
        if form == BARE and _restricted(key, index):
            continue
        if len(fitting) == 1:
            link(next(iter(fitting)), token)
        else:
            unclear(" ".join(key), fitting, token)
    for name, ids in list(ambiguous.items()):
        if ids & found:
            del ambiguous[name]
            del where[name]
    return result
