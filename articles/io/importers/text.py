"""One article from a plain text file: the first line is the headline, the rest the body."""

from .files import FileProblem, read_text
from .records import article_record


def read_text_article(path, *, source=None, published_at=None, url=None):
    """The ArticleRecord in ``path``; each non-blank line after the headline is a paragraph.

    Raises FileProblem (the file) or RecordError (the article, e.g. no source given).
    """
    text = read_text(path)
    lines = [line.strip() for line in text.splitlines()]
    headline_at = next(i for i, line in enumerate(lines) if line)
    paragraphs = [line for line in lines[headline_at + 1 :] if line]
    if not paragraphs:
        raise FileProblem("no body: the headline is the only line", line=headline_at + 1)
    data = {"headline": lines[headline_at], "body": "\n\n".join(paragraphs)}
    if source is None:
        raise FileProblem("no source for a text file (give --source)", line=1)
    if published_at is None:
        raise FileProblem("no publication date for a text file (give --published-at)", line=1)
    return article_record(
        data,
        file=str(path),
        line=headline_at + 1,
        source=source,
        published_at=published_at,
        url=url,
    )
