"""The archive's generation: one row that says whether anything has changed.

``ArchiveGeneration`` holds two random numbers. ``token`` is replaced with every change to the
archive, and cached pages are filed under it (``articles.web.cache``), so a page stored before a
change is never read again; ``sample_token`` is replaced only when the facet sample changes, and
tells the processes holding the sample in memory (``articles.facets.sample``) to read it again.

``token`` is replaced once per transaction, just after it commits: a reader that stores a page
between the commit and the replacement stores it under the old token, which nobody reads again.
``sample_token`` is replaced inside the transaction that rewrites the sample (the gateway does it
under the writers' lock, so writers take the row in one order), and so becomes visible together
with the new sample rows. Random numbers rather than counters: a rolled-back transaction or a
database restored from a backup never brings back a number that meant other contents.

``current()`` reads both in one query, once per request (the page cache and the facet sample ask
between them); ``bump()`` replaces them.
"""

import contextvars
import secrets
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, router, transaction

ROW = 1


@dataclass(frozen=True)
class Generation:
    token: int
    sample_token: int


BEFORE_ANY_CHANGE = Generation(0, 0)

_read = contextvars.ContextVar("archive_generation", default=None)


def _model():
    from articles.models import ArchiveGeneration

    return ArchiveGeneration


def current(using=None):
    """The archive's ``Generation`` on database ``using``; read once per request."""
    using = using or router.db_for_read(_model()) or DEFAULT_DB_ALIAS
    kept = _read.get()
    if kept is not None and using in kept:
        return kept[using]
    row = _model().objects.using(using).filter(pk=ROW).values_list("token", "sample_token")
    found = row.first()
    value = Generation(*found) if found else BEFORE_ANY_CHANGE
    if kept is not None and not transaction.get_connection(using).in_atomic_block:
        # Inside a transaction the value may be the transaction's own: never keep that.
        kept[using] = value
    return value


def request_started(**kwargs):
    """From now on until the request ends, read the generation once (``request_started``)."""
    _read.set({})


def request_finished(**kwargs):
    """Outside a request, read the generation every time (``request_finished``)."""
    _read.set(None)


def generation(using=None):
    """The token cached pages are filed under (0 before the first change)."""
    return current(using).token


def bump(*, using=None, sample=False):
    """Give the archive a new token when the current transaction on ``using`` commits (at once
    outside one; once per transaction however often it is called), and with ``sample`` the
    facet sample a new token now, in the transaction."""
    Model = _model()
    using = using or router.db_for_write(Model) or DEFAULT_DB_ALIAS
    if sample:
        _replace(using, "sample_token")
    connection = transaction.get_connection(using)
    pending = getattr(connection, "_generation_pending", None)
    # Already asked for in this transaction? A savepoint rolled back since would have taken the
    # on-commit entry with it: look for it there.
    if (
        connection.in_atomic_block
        and pending is not None
        and any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        return

    def replace():
        if getattr(connection, "_generation_pending", None) is replace:
            connection._generation_pending = None
        _replace(using, "token")

    connection._generation_pending = replace
    transaction.on_commit(replace, using=using)


def _replace(using, field):
    """Replace ``field`` with a new random number in one statement (an upsert: the first change
    ever creates the row, with both numbers new)."""
    Model = _model()
    row = Model(pk=ROW, token=secrets.randbits(62), sample_token=secrets.randbits(62))
    Model.objects.using(using).bulk_create(
        [row], update_conflicts=True, unique_fields=["id"], update_fields=[field]
    )
    if (kept := _read.get()) is not None:
        kept.pop(using, None)
