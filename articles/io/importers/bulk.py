"""Fast inserts of plain rows: COPY on PostgreSQL, ``executemany`` elsewhere."""

import json
from contextlib import contextmanager

from django.db import IntegrityError, connection


def rows_matching(table, column, values, *, select, lock=False):
    """SQL and parameters selecting ``select`` (columns of ``t``) from the rows of ``table``
    whose ``column`` is one of ``values``; ``lock`` locks them as a foreign-key check does.

    PostgreSQL gets the values as one JSON parameter (encoded in C, where a list would be quoted
    value by value in Python) and joins them to the table: a join plans well with or without
    statistics, where ``= ANY(list)`` can turn into a scan comparing each row with every value.
    """
    values = list(values)
    if connection.vendor == "postgresql":
        cast = "::bigint" if values and not isinstance(values[0], str) else ""
        sql = (
            f"SELECT {select} FROM json_array_elements_text(%s::json) AS v(value) "
            f"JOIN {table} t ON t.{column} = v.value{cast}"
        )
        return sql + (" FOR KEY SHARE OF t" if lock else ""), [json.dumps(values)]
    sql = f"SELECT {select} FROM {table} t WHERE t.{column} IN ({', '.join(['%s'] * len(values))})"
    return sql, values


def allocate_ids(model, count):
    """``count`` new primary keys for ``model``, reserved for rows inserted with explicit ids.

    PostgreSQL takes them from the table's sequence; SQLite (whose writers hold the database
    lock for the whole transaction) continues from the largest id.
    """
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass "
                "AS seq) s, generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def with_defaults(model, columns, rows):
    """Add the model's remaining columns that have a default (e.g. a version counter)."""
    extra = [
        (f.column, f.get_default())
        for f in model._meta.concrete_fields
        if f.column not in columns and f.column != "search_vector" and f.has_default()
    ]
    if not extra:
        return list(columns), rows
    values = tuple(value for _, value in extra)
    return list(columns) + [c for c, _ in extra], [tuple(row) + values for row in rows]


def insert_rows(model, columns, rows, *, meanwhile=None):
    """Insert ``rows`` (tuples in the order of ``columns``, database column names).

    ``meanwhile``, a function of no arguments, is called once the rows are sent and before the
    database is waited for (PostgreSQL works through copied rows as they come, so Python work
    done then costs no time); its result is returned.
    """
    result = None
    if not rows:
        return meanwhile() if meanwhile is not None else None
    columns, rows = with_defaults(model, columns, rows)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary COPY: no text to format here, none to parse in the server.
            types = _column_types(cursor, table, columns)
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
                if meanwhile is not None:
                    result = meanwhile()
            return result
        fields = {f.column: f for f in model._meta.concrete_fields}
        prepared = [
            tuple(
                fields[c].get_db_prep_save(value, connection)
                for c, value in zip(columns, row, strict=True)
            )
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", prepared
        )
    return meanwhile() if meanwhile is not None else None


_column_types_cache = {}


def _column_types(cursor, table, columns):
    """The type (oid) of each of ``columns`` of ``table``, as binary COPY needs them.

    Read once per database and table in a process (tables do not change type under a running
    import)."""
    key = (connection.alias, connection.settings_dict["NAME"], table)
    if key not in _column_types_cache:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        _column_types_cache[key] = dict(cursor.fetchall())
    types = _column_types_cache[key]
    return [types[column] for column in columns]


def bulk_load_ddl(tables):
    """How to undo and redo the secondary indexes, unique constraints and foreign keys of
    ``tables`` (PostgreSQL); primary keys stay.

    Returns ``[(drop, create)]`` SQL pairs. Loading into bare tables and building indexes and
    checking foreign keys once at the end is many times faster than doing it row by row.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT format('DROP INDEX %%I', i.indexname), i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = format('%%I.%%I', i.schemaname, i.indexname)::regclass
              )
            UNION ALL
            SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', c.conrelid::regclass,
                          c.conname, pg_get_constraintdef(c.oid))
            FROM pg_constraint c
            WHERE c.contype IN ('f', 'u') AND c.conrelid::regclass::text = ANY(%s)
            ORDER BY 1
            """,
            [list(tables), list(tables)],
        )
        return cursor.fetchall()


def reset_sequences(models):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def can_skip_row_triggers(models):
    """Whether bulk inserts into ``models`` may turn per-row triggers off (``row_triggers_off``).

    Only on PostgreSQL, for a role allowed to set ``session_replication_role`` (a superuser,
    or one granted SET on it), and only while the tables' triggers are all foreign-key checks,
    which the caller then makes itself, once per batch (``lock_referenced``).
    """
    if connection.vendor != "postgresql":
        return False
    tables = [model._meta.db_table for model in models]
    granted = (  # GRANT SET ON PARAMETER came with PostgreSQL 15
        "has_parameter_privilege('session_replication_role', 'SET')"
        if connection.pg_version >= 150000
        else "false"
    )
    with connection.cursor() as cursor:
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
def row_triggers_off():
    """Inserts in this block fire no per-row triggers (``session_replication_role = replica``).

    Set back at the end of the block; after an error, the rollback of the savepoint the block
    runs in sets it back.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def lock_referenced(model, ids, referrer):
    """Lock the rows of ``model`` with ``ids`` against deletion until the transaction ends, as a
    foreign-key check does; IntegrityError if one is missing. ``referrer`` is the model whose
    rows refer to them, for the message."""
    ids = sorted(set(ids))
    if not ids:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(*rows_matching(table, "id", ids, select="t.id", lock=True))
        missing = set(ids) - {pk for (pk,) in cursor.fetchall()}
    if missing:
        raise IntegrityError(
            f'insert into "{referrer._meta.db_table}" refers to missing rows of "{table}": '
            f"{', '.join(map(str, sorted(missing)[:5]))}"
        )
