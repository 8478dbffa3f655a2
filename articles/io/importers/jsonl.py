"""Articles from JSON Lines: one JSON object per line."""

import json
import sys

import orjson

from .files import FileProblem, iter_lines
from .records import article_record
from .report import RecordError


def _has_float(value):
    """Whether a decoded JSON value holds a float anywhere (iteratively: orjson's values nest
    at most 1,024 deep, and a walk needs no recursion either way)."""
    waiting = [value]
    while waiting:
        value = waiting.pop()
        kind = type(value)
        if kind is dict:
            waiting.extend(value.values())
        elif kind is list:
            waiting.extend(value)
        elif kind is float:
            return True
    return False


def decode(text):
    """The JSON value in ``text``, as ``json.loads`` gives it, or its JSONDecodeError.

    orjson parses lines three times faster; what it refuses (NaN, huge numbers, deep nesting,
    lone surrogates, invalid JSON) goes to the standard library, whose answer and error message
    are the ones reported. So do values holding a float: orjson turns an integer past 64 bits
    into one, where the json module keeps the integer (looking for a float in the few values
    of a record is quicker than looking for long digit runs in the text first).
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    if _has_float(value):
        return json.loads(text)
    return value


def error_text(error):
    """What a ValueError from the json module says, without its advice to programmers."""
    text = str(error)
    if "integer string conversion" in text:
        return f"a number of more than {sys.get_int_max_str_digits():,} digits"
    return text


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
        except ValueError as error:  # an integer past Python's int_max_str_digits
            problem = RecordError(f"not readable JSON ({error_text(error)})")
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
