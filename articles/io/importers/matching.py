"""Which articles of a batch are already in the archive: by URL, else by source, headline and
local date (an article with another URL is another article, whatever its headline)."""

import json

from django.db import connection

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
    condition = (
        "a.source_id = v.source_id AND a.headline = v.headline "
        "AND a.published_at >= v.day_start AND a.published_at < v.day_end "
        "AND (a.url IS NULL OR NOT v.has_url)"
    )
    columns = "i, source_id, headline, day_start, day_end, has_url"
    if connection.vendor == "postgresql":
        # One JSON parameter (encoded in C) rather than arrays quoted value by value in Python.
        keys = json.dumps(
            [[i, a.source_id, a.record.headline, *a.day_text, bool(a.record.url)] for i, a in rest]
        )
        rows = (
            "(SELECT (r->>0)::int, (r->>1)::bigint, r->>2, (r->>3)::timestamptz, "
            "(r->>4)::timestamptz, (r->>5)::boolean FROM json_array_elements(%s::json) r)"
        )
        # A lateral subquery that sorts is never turned into a join: each record looks its
        # day up in the (source, date) index, never a hash join over the whole table.
        sql = (
            f"SELECT v.i, a.id FROM {rows} AS v({columns}) CROSS JOIN LATERAL "
            f"(SELECT a.id FROM {TABLE} a WHERE {condition} ORDER BY a.id) a"
        )
        return sql, [keys]
    adapt = connection.ops.adapt_datetimefield_value
    values, params = [], []
    for i, a in rest:
        values.append("(%s, %s, %s, %s, %s, %s)")
        params += [
            i,
            a.source_id,
            a.record.headline,
            adapt(a.day_start),
            adapt(a.day_end),
            bool(a.record.url),
        ]
    sql = (
        f"SELECT v.i, a.id FROM {TABLE} a JOIN (SELECT {_aliases(columns)} FROM "
        f"(VALUES {', '.join(values)})) v ON {condition}"
    )
    return sql, params


def _aliases(columns):
    """``column1 AS i, column2 AS source_id, ...``: SQLite names VALUES columns by position."""
    return ", ".join(
        f"column{n} AS {name.strip()}" for n, name in enumerate(columns.split(","), start=1)
    )
