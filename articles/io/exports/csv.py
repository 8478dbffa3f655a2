"""Articles as CSV, streamed in batches so that a large result never sits in memory.

The last line of every export is ``# end of export: N articles`` (``end_marker``): a file
without it was cut off.
"""

import csv
import io

from django.utils.text import slugify

from articles.facets.spec import FACETS

from .batches import article_batches

HEADER = [
    "headline",
    "date",
    "source",
    "url",
    "original_url",
    "politicians",
    "parties",
    "topics",
    "people",
    "authors",
]
LIST_SEPARATOR = "; "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
END_MARKER = "# end of export: {count} articles"


def end_marker(count):
    """The line that ends a complete export of ``count`` articles."""
    return END_MARKER.format(count=count)


def safe_cell(value):
    """A cell spreadsheets will not run as a formula (OWASP: prefix with a quote)."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def article_row(article, base_url=""):
    """The CSV cells of an ``ExportedArticle``."""
    return [
        safe_cell(cell)
        for cell in (
            article.headline,
            article.published_on.isoformat(),
            article.source,
            base_url + article.path,
            article.url,
            LIST_SEPARATOR.join(m.politician for m in article.mentions),
            LIST_SEPARATOR.join(article.parties),
            LIST_SEPARATOR.join(article.topics),
            LIST_SEPARATOR.join(map(person_cell, article.mentions)),
            LIST_SEPARATOR.join(article.authors),
        )
    ]


def person_cell(mention):
    """“Diane Abbott (Labour Party), subject”: the politician, their party on the article's date
    and their role in it."""
    party = f" ({mention.party})" if mention.party else ""
    return f"{mention.politician}{party}, {mention.role}"


def export_filename(filterset):
    """``articles-jeremy-corbyn-2016.csv``: the file name says what the selection is."""
    parts = ["articles"]
    for facet in FACETS:
        parts += [obj.slug for obj in filterset.selected(facet.name)]
    if filterset.value("role") and filterset.selected("politician"):
        parts.append(filterset.value("role"))
    if filterset.value("q"):
        parts.append(slugify(filterset.value("q"))[:40].strip("-"))
    if filterset.value("year"):
        parts.append(str(filterset.value("year")))
        if filterset.value("month"):
            parts.append(f"{filterset.value('month'):02d}")
    for bound in ("from", "to"):
        if filterset.value(bound):
            parts += [bound, filterset.value(bound).isoformat()]
    name = "-".join(part for part in parts if part)
    return (name[:150].rstrip("-") or "articles") + ".csv"


class CsvText:
    """CSV rows written to a buffer and handed out as text, one piece per batch."""

    def __init__(self):
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def rows(self, rows):
        self.writer.writerows(rows)
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


def csv_chunks(articles, *, base_url=""):
    """The CSV text of ``articles`` (a queryset), a batch of rows at a time, ending with the
    end marker."""
    out = CsvText()
    yield out.rows([HEADER])
    count = 0
    for batch in article_batches(articles):
        count += len(batch)
        yield out.rows(article_row(article, base_url) for article in batch)
    yield out.rows([[end_marker(count)]])
