"""Which articles of a batch are already in the archive: by URL, else by source, headline and
local date (an article with another URL is another article, whatever its headline)."""

from django.db import connection

from articles.backends import backend
from articles.models import Article

from .bulk import rows_matching

TABLE = Article._meta.db_table


def existing_articles(articles):
    """The archive's Article for each PreparedArticle of ``articles`` that has one, by position.

    ``source_id`` must be set on each. A few queries for the whole batch (PostgreSQL gets the
    values as one JSON parameter, so the statements stay short); the articles found are then
    read in one more.
    """
    found = {}
    urls = {a.record.url: i for i, a in enumerate(articles) if a.record.url}
    with connection.cursor() as cursor:
        if urls:
            cursor.execute(*rows_matching(TABLE, "url", urls, select="t.url, t.id"))
            for url, pk in cursor.fetchall():
                found[urls[url]] = pk
        rest = [(i, a) for i, a in enumerate(articles) if i not in found]
        if any(a.record.url for _, a in rest) and not _any_without_url(cursor):
            # Only an article without a URL can be found by its day for a record with one.
            rest = [(i, a) for i, a in rest if not a.record.url]
        if rest:
            cursor.execute(*_same_day_query(rest))
            # The oldest article wins when several fit.
            for i, pk in sorted(cursor.fetchall(), key=lambda pair: pair[1]):
                found.setdefault(i, pk)
    if not found:
        return {}
    by_id = Article.objects.defer("search_vector").in_bulk(list(found.values()))
    return {i: by_id[pk] for i, pk in found.items()}


def _any_without_url(cursor):
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE url IS NULL)")
    return cursor.fetchone()[0]


def _same_day_query(rest):
    """(position, id) of the articles with the source, headline and local day of each of
    ``rest``; an article with a URL fits only a record without one (its URL was not found)."""
    keys = [
        (i, a.source_id, a.record.headline, a.day_start, a.day_end, bool(a.record.url), a.day_text)
        for i, a in rest
    ]
    return backend().same_day_query(TABLE, keys)
