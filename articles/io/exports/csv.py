"""Articles as CSV rows, written lazily so that a large result never sits in memory."""

import csv

from .common import parties_of, politicians_of, topics_of, with_export_relations

HEADER = [
    "headline",
    "date",
    "source",
    "url",
    "original_url",
    "politicians",
    "parties",
    "topics",
]
CHUNK_SIZE = 500
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell spreadsheets will not run as a formula (OWASP: prefix with a quote)."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def article_row(article, base_url=""):
    return [
        safe_cell(cell)
        for cell in (
            article.headline,
            article.published_on.isoformat(),
            article.source.name,
            base_url + article.get_absolute_url(),
            article.url or "",
            LIST_SEPARATOR.join(p.name for p in politicians_of(article)),
            LIST_SEPARATOR.join(p.name for p in parties_of(article)),
            LIST_SEPARATOR.join(t.name for t in topics_of(article)),
        )
    ]


class _Echo:
    """A file-like object whose ``write`` hands back what it was given."""

    def write(self, value):
        return value


def csv_lines(articles, *, base_url=""):
    """The CSV text of ``articles`` (a queryset), line by line, fetched in chunks."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for article in with_export_relations(articles).iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow(article_row(article, base_url))
