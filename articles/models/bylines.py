"""Reading the authors out of a byline as printed: “By Jane Doe and John Roe”."""

import re

_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_AND = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
NAME_MAX = 200


def byline_names(byline):
    """The authors' names in ``byline``, in order, without repeats: “By A, B and C” → [A, B, C].

    Parts that are not names (empty, or longer than an author's name may be) are left out.
    """
    text = _BY.sub("", " ".join((byline or "").split()))
    names = (part.strip(" .;") for part in _AND.split(text))
    return list(dict.fromkeys(name for name in names if name and len(name) <= NAME_MAX))
