"""Articles from JSON Lines: one JSON object per line."""

import json

from .files import FileProblem, iter_lines
from .records import article_record
from .report import RecordError


def read_jsonl(path, *, source=None, published_at=None):
    """Yield an ArticleRecord, or a RecordError with ``.line``, for each non-blank line.

    Raises FileProblem when the file as a whole cannot be read.
    """
    file = str(path)
    loads = json.loads
    for line, text in iter_lines(path):
        if isinstance(text, FileProblem):
            yield text
            continue
        try:
            data = loads(text)
        except json.JSONDecodeError as error:
            problem = RecordError(f"not valid JSON ({error.msg}, column {error.colno})")
        except RecursionError:
            problem = RecordError("not valid JSON (nested too deeply)")
        else:
            try:
                yield article_record(
                    data, file=file, line=line, source=source, published_at=published_at
                )
                continue
            except RecordError as error:
                problem = error
        problem.line = line
        yield problem
