"""Articles from JSON Lines: one JSON object per line."""

import json
import re

import orjson

from .files import FileProblem, iter_lines
from .records import article_record
from .report import RecordError

# 19 digits in a row may be an integer past 64 bits, which orjson would turn into a float.
LONG_NUMBER = re.compile(r"\d{19}")


def decode(text):
    """The JSON value in ``text``, as ``json.loads`` gives it, or its JSONDecodeError.

    orjson parses lines three times faster; what it refuses (NaN, huge numbers, deep nesting,
    lone surrogates, invalid JSON) and lines with very long numbers go to the standard library,
    whose answer and error message are the ones reported.
    """
    if LONG_NUMBER.search(text) is None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def read_jsonl(path, *, source=None, published_at=None, zone=None):
    """Yield an ArticleRecord, or a RecordError with ``.line``, for each non-blank line.
    ``zone``: see ``article_record``.

    Raises FileProblem when the file as a whole cannot be read.
    """
    file = str(path)
    for line, text in iter_lines(path):
        if isinstance(text, FileProblem):
            yield text
            continue
        try:
            data = decode(text)
        except json.JSONDecodeError as error:
            problem = RecordError(f"not valid JSON ({error.msg}, column {error.colno})")
        except RecursionError:
            problem = RecordError("not valid JSON (nested too deeply)")
        else:
            try:
                yield article_record(
                    data,
                    file=file,
                    line=line,
                    source=source,
                    published_at=published_at,
                    zone=zone,
                )
                continue
            except RecordError as error:
                problem = error
        problem.line = line
        yield problem
