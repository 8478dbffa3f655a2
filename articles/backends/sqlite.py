"""SQLite, and the portable SQL every database understands."""

from django.db.models import Q


def search_words(text):
    """(word, excluded) for each word of a web-search style query, quotes and "or" dropped."""
    words = []
    for word in (text or "").split():
        word = word.strip('"')
        if word.startswith("-") and len(word) > 1:
            words.append((word[1:], True))
        elif word and word.lower() != "or":
            words.append((word, False))
    return words


class SQLite:
    name = "sqlite"
    #: Whether results can be ordered by how well they match a search (``rank``).
    ranks_search = False
    #: Whether bulk loads may COPY rows, drop and rebuild indexes and skip row triggers.
    bulk_loads = False

    def __init__(self, connection):
        self.connection = connection

    def describe(self):
        """The database and its version, for reports."""
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"

    # -- locks and statistics --

    def lock(self, key):
        """Serialise writers holding ``key`` until the transaction ends.

        SQLite writers already are: the database has one write lock (BEGIN IMMEDIATE).
        """

    def is_conflict(self, error):
        """Whether the database error ``error`` says another transaction got in the way (a
        deadlock, a serialisation failure, a lock not granted): trying again may succeed."""
        return "database is locked" in str(error)

    def analyze(self, *models):
        """Fresh planner statistics for the tables of ``models`` after a bulk change."""

    # -- stored counts --

    def add_counts(self, table, rows):
        """Add ``rows`` ([((dimension, key, year, month), n)], in one order) to ``table``,
        creating missing rows, atomically per row."""
        upsert = (
            f"ON CONFLICT (dimension, year, month, key) DO UPDATE SET n = {table}.n + excluded.n"
        )
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                batch = rows[start : start + 1000]
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
                params = [p for (d, k, y, m), n in batch for p in (d, k, y, m, n)]
                cursor.execute(
                    f"INSERT INTO {table} (dimension, key, year, month, n) "
                    f"VALUES {values} {upsert}",
                    params,
                )

    # -- full-text search --

    def search_condition(self, text):
        """A condition on ``Article`` selecting the articles that match ``text`` (web-search
        syntax: words, "-word" to leave one out, "or")."""
        condition = Q()
        for word, excluded in search_words(text):
            matches = Q(headline__icontains=word) | Q(standfirst__icontains=word)
            matches |= Q(body__icontains=word)
            condition &= ~matches if excluded else matches
        return condition

    def sample_search_condition(self, text):
        """The same condition on ``FacetSample`` (a sampled article)."""
        from articles.models import Article

        matching = Article.objects.filter(self.search_condition(text)).values("pk")
        return Q(article__in=matching)

    def rank(self, text):
        """An expression ranking articles by how well they match ``text`` (None: no ranking)."""
        return None

    def snippet(self, text, *, start, stop):
        """An expression for the passage of the body matching ``text``, the matched words
        between ``start`` and ``stop`` (None: the page finds the words itself)."""
        return None

    # -- bulk loading (imports) --

    def rows_matching(self, table, column, values, *, select, lock=False):
        """SQL and parameters selecting ``select`` (columns of ``t``) from the rows of ``table``
        whose ``column`` is one of ``values`` (``lock``: against deletion, as a foreign key)."""
        placeholders = ", ".join(["%s"] * len(values))
        return f"SELECT {select} FROM {table} t WHERE t.{column} IN ({placeholders})", values

    def same_day_query(self, table, keys):
        """(position, id) of the articles of ``table`` with the source, headline and local day of
        each of ``keys``: (position, source id, headline, day start, day end, has URL, (day start,
        day end) in ISO 8601); an article with a URL fits only a key without one."""
        adapt = self.connection.ops.adapt_datetimefield_value
        values, params = [], []
        for i, source_id, headline, start, end, has_url, _ in keys:
            values.append("(%s, %s, %s, %s, %s, %s)")
            params += [i, source_id, headline, adapt(start), adapt(end), has_url]
        columns = ["i", "source_id", "headline", "day_start", "day_end", "has_url"]
        # SQLite names the columns of VALUES by position.
        aliases = ", ".join(f"column{n} AS {name}" for n, name in enumerate(columns, start=1))
        sql = (
            f"SELECT v.i, a.id FROM {table} a JOIN (SELECT {aliases} FROM "
            f"(VALUES {', '.join(values)})) v ON {SAME_DAY}"
        )
        return sql, params

    def allocate_ids(self, model, count):
        """``count`` new primary keys for ``model``, for rows inserted with explicit ids.

        SQLite writers hold the database lock for the whole transaction, so the ids continue
        from the largest one.
        """
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))

    def insert_rows(self, model, columns, rows, *, meanwhile=None):
        """Insert ``rows`` (tuples in the order of ``columns``); ``meanwhile()`` runs once the
        rows are sent and its result is returned."""
        fields = {f.column: f for f in model._meta.concrete_fields}
        prepared = [
            tuple(
                fields[c].get_db_prep_save(value, self.connection)
                for c, value in zip(columns, row, strict=True)
            )
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                f"VALUES ({placeholders})",
                prepared,
            )
        return meanwhile() if meanwhile is not None else None

    def reset_sequences(self, models):
        """Let the tables of ``models`` number new rows after those inserted with explicit ids
        (SQLite does so by itself)."""

    def can_skip_row_triggers(self, models):
        """Whether bulk inserts into ``models`` may turn per-row triggers off."""
        return False


SAME_DAY = (
    "a.source_id = v.source_id AND a.headline = v.headline "
    "AND a.published_at >= v.day_start AND a.published_at < v.day_end "
    "AND (a.url IS NULL OR NOT v.has_url)"
)
