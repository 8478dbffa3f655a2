"""What differs between the databases the archive runs on, in one place.

PostgreSQL is the production database; SQLite is the embedded default. Everything that has to be
said differently to each (locks, upserts, full-text search, bulk loading, statistics) is a method
of the backend for a connection, so the rest of the code asks ``backend(using)`` and never looks
at the vendor itself::

    backend().lock(DERIVED_LOCK)
    Article.objects.filter(backend(qs.db).search_condition(text))

``sqlite.SQLite`` is the portable base; ``postgresql.PostgreSQL`` overrides what PostgreSQL does
better or differently.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from .postgresql import PostgreSQL
from .sqlite import SQLite

_BY_VENDOR = {"postgresql": PostgreSQL}


def backend(using=None):
    """The backend of database alias ``using`` (or of a connection object; default: default)."""
    connection = (
        connections[using or DEFAULT_DB_ALIAS] if using is None or isinstance(using, str) else using
    )
    return _BY_VENDOR.get(connection.vendor, SQLite)(connection)


__all__ = ["PostgreSQL", "SQLite", "backend"]
