"""Reading an article's text as a reader of names would: runs of capitalised words, and the
sentence each one stands in."""

import re

from articles.models.people import plain_letters

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# Each word, and an empty string for each stretch of other non-space characters between words.
WORD_OR_SEPARATOR = re.compile(rf"({WORD.pattern})|(?:[^\s\w]|[\d_])+")
# The same for ASCII text, matched twice as fast.
ASCII_WORD_OR_SEPARATOR = re.compile(r"([A-Za-z]+(?:['\-][A-Za-z]+)*)|[^\sA-Za-z]+")
PARTICLES = {"de", "del", "della", "der", "di", "du", "da", "la", "le", "van", "von", "bin", "al"}

# The end of a sentence: a stop (and any closing quote or bracket) then space, or a line break.
SENTENCE_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s)|\n")
# Stops that do not end a sentence (British style drops them, but quoted text keeps some).
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Rev", "Prof", "No", "Gen", "Col", "Capt", "Lt"}
SENTENCE_MAX = 300


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


def without_accents(text):
    """``text`` with its Latin letters written plainly ("Öpik" is "Opik", "Davíð" is "David"),
    so that names match either way."""
    return plain_letters(text)


def _pattern(text):
    return ASCII_WORD_OR_SEPARATOR if text.isascii() else WORD_OR_SEPARATOR


def runs(text):
    """Runs of capitalised words (name particles allowed inside), each a tuple of words with
    the number of the run's first token (see ``word_offset``).

    A run ends at punctuation, at a lower-case word and after a possessive ("Blair's"), so
    "Milton Keynes" is one run and "Mr Howard, the Tory leader" gives the run "Mr Howard".
    Possessives and hyphenated affixes are trimmed ("anti-Corbyn's" is "Corbyn"), and accents
    dropped ("Öpik" is "Opik").
    """
    found, run, first, separated = [], [], 0, False
    for token, raw in enumerate(_pattern(text).findall(text)):
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
                    found.append((tuple(run), first))
                    run = []
                continue
        if capital:
            if run and separated:
                found.append((tuple(run), first))
                run = []
            if not run:
                first = token
            run.append(word)
        elif run and not separated and word in PARTICLES:
            run.append(word)
        elif run:
            found.append((tuple(run), first))
            run = []
        separated = False
        if ends_run and run:
            found.append((tuple(run), first))
            run = []
    if run:
        found.append((tuple(run), first))
    if not text.isascii():
        found = [(tuple(without_accents(w) for w in words), at) for words, at in found]
    return found


def word_offset(text, token):
    """Where the word that ``runs`` numbered ``token`` starts in ``text``.

    The numbers are worked out again only for the few words whose sentence is asked for, so
    finding names (on every article of an import) does not pay for them."""
    for number, match in enumerate(_pattern(text).finditer(text)):
        if number == token:
            return match.start(1)
    return 0


def _ends_sentence(text, match):
    if match.group() == "\n":
        return True
    before = text[: match.start()].rsplit(None, 1)
    word = before[-1] if before else ""
    return word not in ABBREVIATIONS and not (len(word) == 1 and word.isupper())  # "J. Smith"


def sentence_at(text, offset):
    """The sentence of ``text`` that holds the character at ``offset``, trimmed to a line."""
    start = 0
    for match in SENTENCE_END.finditer(text, 0, offset):
        if _ends_sentence(text, match):
            start = match.end()
    end = len(text)
    for match in SENTENCE_END.finditer(text, offset):
        if _ends_sentence(text, match):
            end = match.end() if match.group() != "\n" else match.start()
            break
    if end - start > SENTENCE_MAX:  # a run-on sentence: the stretch around the name
        start = max(start, offset - SENTENCE_MAX // 2)
        end = min(end, start + SENTENCE_MAX)
    return " ".join(text[start:end].split())
