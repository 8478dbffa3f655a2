"""PostgreSQL: advisory locks, array upserts, tsvector search, COPY and bulk-load helpers."""

import json
import re
from contextlib import contextmanager

from django.db.models import F, Q

from articles.search import parse

from .sqlite import NOTHING, SAME_DAY, SQLite

SEARCH_CONFIG = "english"
#: SQLSTATEs of a transaction that lost a race: serialization_failure, deadlock_detected,
#: lock_not_available.
CONFLICTS = {"40001", "40P01", "55P03"}


_PUNCTUATION = re.compile(r"(?P<decimal>(?<=\d)[.,](?=\d))|[^\w\s]|_")


def _plain(text):
    """``text`` with its punctuation as spaces, decimal points and commas between digits kept."""
    return _PUNCTUATION.sub(lambda m: m.group() if m.group("decimal") else " ", text)


def websearch_text(query):
    """A ``Query`` (``articles.search``) as ``websearch_to_tsquery`` input that reads back as
    the same query: every term in quotes (its words go to PostgreSQL's parser as typed, and no
    word of it can be an operator), "-" before an excluded one, "or" between alternatives.

    Punctuation inside a term is read as a space, as ``words_of`` and SQLite's index read it
    (a decimal point between digits aside): PostgreSQL's parser would otherwise ask for
    "labour-led" as one more compound word, or read "the.corbyn" as a host name, and miss
    "Labour led" or "the Corbyn" in an article."""

    def term(t):
        return ('-"' if t.excluded else '"') + _plain(t.text) + '"'

    return " or ".join(" ".join(map(term, group)) for group in query.alternatives)


def web_search(text):
    """PostgreSQL's query for ``text`` (``articles.search`` syntax), as every search here runs
    it."""
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(websearch_text(parse(text)), search_type="websearch", config=SEARCH_CONFIG)


def _array(values, *, text=False):
    """A PostgreSQL array literal of ``values`` (integers, or strings with ``text``), as one
    string: the driver would quote a list element by element, in Python."""
    if text:
        quoted = ['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values]
        return "{" + ",".join(quoted) + "}"
    return "{" + ",".join(map(str, values)) + "}"


_column_types_cache = {}


class PostgreSQL(SQLite):
    name = "postgresql"
    ranks_search = True
    bulk_loads = True

    def describe(self):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            return cursor.fetchone()[0].split(",")[0]

    # -- locks and statistics --

    def lock(self, key):
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])

    def is_conflict(self, error):
        return getattr(error.__cause__, "sqlstate", None) in CONFLICTS

    def analyze(self, *models):
        # Fresh statistics, or the planner guesses badly right after a bulk change (a party +
        # year browse took seconds after a large import, milliseconds after ANALYZE).
        with self.connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(model._meta.db_table)}")

    # -- stored counts --

    def add_counts(self, table, rows):
        # One statement, the rows as five arrays.
        dimensions, keys, years, months = zip(*[key for key, _ in rows], strict=True)
        arrays = [
            _array(dimensions, text=True),
            *map(_array, (keys, years, months, [n for _, n in rows])),
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (dimension, key, year, month, n) "
                "SELECT * FROM unnest(%s::text[], %s::bigint[], %s::smallint[], "
                "%s::smallint[], %s::integer[]) "
                f"ON CONFLICT (dimension, year, month, key) "
                f"DO UPDATE SET n = {table}.n + excluded.n",
                arrays,
            )

    # -- full-text search (the search_vector column kept by a trigger, migration 0002) --

    def search_condition(self, text):
        return Q(search_vector=web_search(text)) if parse(text) else NOTHING

    def sample_search_condition(self, text):
        # The sample keeps its own copy of each sampled article's vector.
        return self.search_condition(text)

    def rank(self, text):
        from django.contrib.postgres.search import SearchRank

        return SearchRank(F("search_vector"), web_search(text))

    def snippet(self, text, *, start, stop):
        from django.contrib.postgres.search import SearchHeadline

        return SearchHeadline(
            "body",
            web_search(text),
            config=SEARCH_CONFIG,
            start_sel=start,
            stop_sel=stop,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    # -- bulk loading (imports) --

    def rows_matching(self, table, column, values, *, select, lock=False):
        # The values as one JSON parameter (encoded in C, where a list would be quoted value by
        # value in Python) joined to the table: a join plans well with or without statistics,
        # where ``= ANY(list)`` can turn into a scan comparing each row with every value.
        cast = "::bigint" if values and not isinstance(values[0], str) else ""
        sql = (
            f"SELECT {select} FROM json_array_elements_text(%s::json) AS v(value) "
            f"JOIN {table} t ON t.{column} = v.value{cast}"
        )
        return sql + (" FOR KEY SHARE OF t" if lock else ""), [json.dumps(values)]

    def same_day_query(self, table, keys):
        # One JSON parameter (encoded in C) rather than arrays quoted value by value in Python.
        rows = json.dumps(
            [
                [i, source_id, headline, *iso, has_url]
                for i, source_id, headline, _start, _end, has_url, iso in keys
            ]
        )
        values = (
            "(SELECT (r->>0)::int, (r->>1)::bigint, r->>2, (r->>3)::timestamptz, "
            "(r->>4)::timestamptz, (r->>5)::boolean FROM json_array_elements(%s::json) r)"
        )
        columns = "i, source_id, headline, day_start, day_end, has_url"
        # A lateral subquery that sorts is never turned into a join: each key looks its day up
        # in the (source, date) index, never a hash join over the whole table.
        sql = (
            f"SELECT v.i, a.id FROM {values} AS v({columns}) CROSS JOIN LATERAL "
            f"(SELECT a.id FROM {table} a WHERE {SAME_DAY} ORDER BY a.id) a"
        )
        return sql, [rows]

    def allocate_ids(self, model, count):
        # From the table's sequence: concurrent writers never get the same ids.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass "
                "AS seq) s, generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert_rows(self, model, columns, rows, *, meanwhile=None):
        # Binary COPY: no text to format here, none to parse in the server. The server works
        # through copied rows as they come, so Python work done ``meanwhile`` costs no time.
        table = model._meta.db_table
        result = None
        with self.connection.cursor() as cursor:
            types = self._column_types(cursor, table, columns)
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
                if meanwhile is not None:
                    result = meanwhile()
        return result

    def _column_types(self, cursor, table, columns):
        """The type (oid) of each of ``columns`` of ``table``, as binary COPY needs them; read
        once per database and table in a process."""
        key = (self.connection.alias, self.connection.settings_dict["NAME"], table)
        if key not in _column_types_cache:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped",
                [table],
            )
            _column_types_cache[key] = dict(cursor.fetchall())
        types = _column_types_cache[key]
        return [types[column] for column in columns]

    def copy_text_rows(self, model, columns, rows):
        """Plain-text COPY of ``rows`` into ``model``'s table (generated archives)."""
        with self.connection.cursor() as cursor:
            sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)

    def reset_sequences(self, models):
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )

    def can_skip_row_triggers(self, models):
        # Only for a role allowed to set session_replication_role (a superuser, or one granted
        # SET on it), and only while the tables' triggers are all foreign-key checks, which the
        # caller then makes itself, once per batch.
        tables = [model._meta.db_table for model in models]
        granted = (  # GRANT SET ON PARAMETER came with PostgreSQL 15
            "has_parameter_privilege('session_replication_role', 'SET')"
            if self.connection.pg_version >= 150000
            else "false"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT current_setting('is_superuser') = 'on' OR {granted},
                       EXISTS (
                         SELECT 1 FROM pg_trigger t
                         WHERE t.tgrelid = ANY(%s::regclass[])
                           AND NOT (t.tgisinternal AND EXISTS (
                             SELECT 1 FROM pg_constraint c
                             WHERE c.oid = t.tgconstraint AND c.contype = 'f'
                           ))
                       )
                """,
                [tables],
            )
            allowed, other_triggers = cursor.fetchone()
        return allowed and not other_triggers

    @contextmanager
    def row_triggers_off(self):
        """Inserts in this block fire no per-row triggers (``session_replication_role``).

        Set back at the end of the block; after an error, the rollback of the savepoint the
        block runs in sets it back.
        """
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")

    def bulk_load_ddl(self, tables):
        """How to undo and redo the secondary indexes, unique constraints and foreign keys of
        ``tables``; primary keys stay. ``[(drop, create)]`` SQL pairs: loading into bare tables
        and building indexes once at the end is many times faster than row by row."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT format('DROP INDEX %%I', i.indexname), i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass
                  )
                UNION ALL
                SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass,
                              c.conname),
                       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                              c.conname, pg_get_constraintdef(c.oid))
                FROM pg_constraint c
                WHERE c.contype IN ('f', 'u') AND c.conrelid::regclass::text = ANY(%s)
                ORDER BY 1
                """,
                [list(tables), list(tables)],
            )
            return cursor.fetchall()

    def constraints_immediate(self):
        """Check deferred constraints at each statement for the rest of the transaction."""
        with self.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
