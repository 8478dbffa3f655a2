"""Fast inserts of plain rows: COPY on PostgreSQL, ``executemany`` elsewhere."""

from django.db import connection


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
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
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


def insert_rows(model, columns, rows):
    """Insert ``rows`` (tuples in the order of ``columns``, database column names)."""
    if not rows:
        return
    columns, rows = with_defaults(model, columns, rows)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
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
