"""Read replicas: the public site reads from a replica, everything else uses the primary.

The primary is the ``default`` alias; every other database alias is a streaming replica of it
(``DATABASE_REPLICA_URLS`` in the settings). Which one a request reads from is decided once, at
the start of the request, by ``newsroom.middleware.ReplicaRoutingMiddleware``, and kept in a
context variable for the router below:

- outside a request (management commands, imports, the shell) everything uses the primary;
- the admin, unsafe methods (POST …) and editors' requests (those with a session cookie: the
  public site never starts a session) read from the primary, so an editor sees their own change
  at once although replicas lag behind by up to a second or so;
- a request that has written anything, or is inside a transaction it opened, reads from the
  primary from then on;
- every other request reads from one replica, chosen at random, for all of its reads.

Writes and migrations always go to the primary.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS


class RequestRouting:
    """Where the current request reads: ``replica``, or the primary once it is None."""

    __slots__ = ("replica", "transactions_before")

    def __init__(self, replica):
        self.replica = replica
        # Transactions opened before the request (a test's own, say) do not count as its own.
        self.transactions_before = len(connections[PRIMARY].atomic_blocks)

    def reads_from(self):
        if self.replica is None:
            return PRIMARY
        if len(connections[PRIMARY].atomic_blocks) > self.transactions_before:
            return PRIMARY
        return self.replica


_routing = ContextVar("newsroom_request_routing", default=None)


@contextmanager
def reading_from(replica):
    """Route the block's reads as for a request that reads from ``replica`` (None: the primary)."""
    token = _routing.set(RequestRouting(replica))
    try:
        yield _routing.get()
    finally:
        _routing.reset(token)


def streamed_with(routing, chunks):
    """``chunks`` with each one produced under ``routing``: a streamed response's content is
    produced after the middleware has returned, and must read from the same database."""
    chunks = iter(chunks)
    while True:
        token = _routing.set(routing)
        try:
            chunk = next(chunks, StopIteration)
        finally:
            _routing.reset(token)
        if chunk is StopIteration:
            return
        yield chunk


class PrimaryReplicaRouter:
    """Reads as ``ReplicaRoutingMiddleware`` decided for the request; writes to the primary."""

    def db_for_read(self, model, **hints):
        routing = _routing.get()
        return PRIMARY if routing is None else routing.reads_from()

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            # Read your own writes: the replica may not have them yet.
            routing.replica = None
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
