"""Fast inserts of plain rows for imports: what the database backend offers (COPY on PostgreSQL,
``executemany`` elsewhere; see ``articles.backends``), with the model's defaults filled in."""

from django.db import IntegrityError, connection

from articles.backends import backend


def rows_matching(table, column, values, *, select, lock=False):
    """SQL and parameters selecting ``select`` (columns of ``t``) from the rows of ``table``
    whose ``column`` is one of ``values``; ``lock`` locks them as a foreign-key check does."""
    return backend().rows_matching(table, column, list(values), select=select, lock=lock)


def allocate_ids(model, count):
    """``count`` new primary keys for ``model``, reserved for rows inserted with explicit ids."""
    return backend().allocate_ids(model, count) if count else []


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
    database is waited for; its result is returned.
    """
    if not rows:
        return meanwhile() if meanwhile is not None else None
    columns, rows = with_defaults(model, columns, rows)
    return backend().insert_rows(model, columns, rows, meanwhile=meanwhile)


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


def can_skip_row_triggers(models):
    """Whether bulk inserts into ``models`` may turn per-row triggers off (``row_triggers_off``):
    only while the tables' triggers are all foreign-key checks, which the caller then makes
    itself, once per batch (``lock_referenced``)."""
    return backend().can_skip_row_triggers(models)


def row_triggers_off():
    """A block in which inserts fire no per-row triggers (where ``can_skip_row_triggers``)."""
    return backend().row_triggers_off()
