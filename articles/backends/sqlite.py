"""SQLite, and the portable SQL every database understands."""

from django.db.models import Expression, F, FloatField, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from articles.search import parse

# The full-text index of the articles on SQLite (FTS5, kept by triggers: migration 0012).
SEARCH_TABLE = "articles_article_fts"
# PostgreSQL weighs a match in the headline, standfirst and body as ts_rank's A, B and C.
COLUMN_WEIGHTS = (1.0, 0.4, 0.2)
BODY_COLUMN = 2
SNIPPET_TOKENS = 35  # PostgreSQL's headline: at most 35 words (MaxWords)
NOTHING = Q(pk__in=[])


def _quoted(words):
    """An FTS5 phrase of ``words``: in double quotes, which FTS5 reads as text, never as
    syntax (the words have no quotes; doubling them is the escape all the same)."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def _any_of(terms):
    phrases = [_quoted(term.searched_words) for term in terms]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def _matching(group):
    """The FTS5 expression of one alternative with at least one wanted term."""
    wanted = [t for t in group if not t.excluded]
    excluded = [t for t in group if t.excluded]
    expression = "(" + " AND ".join(_quoted(t.searched_words) for t in wanted) + ")"
    return f"({expression} NOT {_any_of(excluded)})" if excluded else expression


def fts5_match(query):
    """(wanted, excluded) for a ``Query``: ``wanted`` the FTS5 MATCH expression of the
    alternatives with a wanted term (None if none has one), ``excluded`` one expression per
    alternative with only excluded terms, which a MATCH cannot say by itself (an article
    fits such an alternative when it does *not* match the expression)."""
    groups = query.alternatives
    wanted = [_matching(group) for group in groups if any(not t.excluded for t in group)]
    excluded = [_any_of(group) for group in groups if all(t.excluded for t in group)]
    return (" OR ".join(wanted) or None), excluded


class _Matched(Expression):
    """``select`` (an FTS5 auxiliary function of the search table) for the article of the row,
    from the index row matching ``match``; NULL when that article does not match."""

    def __init__(self, select, params, match, output_field):
        super().__init__(output_field=output_field)
        self.select, self.params, self.match = select, list(params), match
        self.article = F("pk")

    def get_source_expressions(self):
        return [self.article]

    def set_source_expressions(self, exprs):
        (self.article,) = exprs

    def as_sql(self, compiler, connection):
        article, params = compiler.compile(self.article)
        sql = (
            f"(SELECT {self.select} FROM {SEARCH_TABLE} "
            f"WHERE {SEARCH_TABLE} MATCH %s AND {SEARCH_TABLE}.rowid = {article})"
        )
        return sql, [*self.params, self.match, *params]


class SQLite:
    name = "sqlite"
    #: Whether results can be ordered by how well they match a search (``rank``).
    ranks_search = True
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

    # -- full-text search (the FTS5 table kept by triggers, migration 0012) --

    def search_condition(self, text):
        """A condition on ``Article`` selecting the articles that match ``text``
        (``articles.search`` syntax)."""
        query = parse(text)
        if not query:
            return NOTHING
        wanted, excluded = fts5_match(query)
        # Article ids of the matching index rows; an alternative of excluded terms only is
        # met by the articles outside the rows matching them.
        rows = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s"
        conditions = [Q(pk__in=RawSQL(rows, [wanted]))] if wanted else []
        conditions += [~Q(pk__in=RawSQL(rows, [expression])) for expression in excluded]
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        return condition

    def sample_search_condition(self, text):
        """The same condition on ``FacetSample`` (a sampled article: its key is the article's
        id, so the same index answers)."""
        return self.search_condition(text)

    def rank(self, text):
        """An expression ranking articles by how well they match ``text``, higher first (None:
        no ranking)."""
        wanted, _excluded = fts5_match(parse(text))
        if wanted is None:  # nothing to rank by: every result fits as well
            return Value(0.0, output_field=FloatField())
        weights = ", ".join(map(str, COLUMN_WEIGHTS))
        # bm25() is lower for a better match; an article matching only through an excluded-only
        # alternative has no index row here and ranks 0, as on PostgreSQL.
        rank = _Matched(f"-bm25({SEARCH_TABLE}, {weights})", [], wanted, FloatField())
        return Coalesce(rank, Value(0.0, output_field=FloatField()))

    def snippet(self, text, *, start, stop):
        """An expression for the passage of the body matching ``text``, the matched words
        between ``start`` and ``stop`` (None: the page finds the words itself)."""
        wanted, _excluded = fts5_match(parse(text))
        if wanted is None:
            return None
        select = f"snippet({SEARCH_TABLE}, {BODY_COLUMN}, %s, %s, %s, {SNIPPET_TOKENS})"
        return _Matched(select, [start, stop, "…"], wanted, TextField())

    def add_snippets(self, articles, text, *, start, stop):
        """Set ``snippet`` (as ``snippet`` gives it) on each of ``articles``, a page of results,
        in one query: a deep page cuts passages for the rows it shows, not for those it skips."""
        snippet = self.snippet(text, start=start, stop=stop)
        if snippet is None or not articles:
            return articles
        model = type(articles[0])
        rows = (
            model._base_manager.using(self.connection.alias)
            .filter(pk__in=[article.pk for article in articles])
            .order_by()
            .annotate(snippet=snippet)
            .values_list("pk", "snippet")
        )
        found = dict(rows)
        for article in articles:
            article.snippet = found.get(article.pk)
        return articles

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
