"""Run a reader in a background thread, so files are parsed while the database writes."""

import contextvars
import queue
import sys
import threading
from contextlib import contextmanager

SWITCH_INTERVAL = 0.0002  # seconds; see read_ahead
_END = object()


class _Raised:
    def __init__(self, error):
        self.error = error


class Gate:
    """When a read-ahead thread may work. Python runs one thread at a time, so a reader
    working while the consumer computes slows both; one working while the consumer waits
    (for the database, or for items) costs nothing. The consumer opens the gate around its
    waits; the reader stops at the next item while it is closed."""

    def __init__(self):
        self._open = threading.Event()

    def wait(self):
        self._open.wait()

    @contextmanager
    def opened(self):
        was_open = self._open.is_set()
        self._open.set()
        try:
            yield
        finally:
            if not was_open:
                self._open.clear()

    @contextmanager
    def closed(self):
        """Keep the reader waiting in this block (the consumer computes something it needs
        first, while the database works)."""
        was_open = self._open.is_set()
        self._open.clear()
        try:
            yield
        finally:
            if was_open:
                self._open.set()

    def open_for_good(self):
        self._open.set()


def read_ahead(items, *, chunk=100, chunks=20, gate=None):
    """Yield what the iterator ``items`` yields, computed ahead in a background thread.

    At most ``chunk * chunks`` items wait in memory. The thread runs in a copy of the caller's
    context (the active time zone and language) and must not use the database: connections
    belong to their thread. An exception raised by ``items`` is raised here, after the items
    before it. Closing this generator stops the thread. With a ``gate`` (a Gate), the thread
    only works while it is open, and while this generator waits for items.
    """
    ready = queue.Queue(maxsize=chunks)
    stop = threading.Event()
    if gate is None:
        gate = Gate()
        gate.open_for_good()

    def put(value):
        while not stop.is_set():
            try:
                ready.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        waiting = []
        try:
            for item in items:
                gate.wait()
                waiting.append(item)
                if len(waiting) >= chunk:
                    if not put(waiting):
                        return
                    waiting = []
            put(waiting) and put(_END)
        except BaseException as error:  # handed to the consumer, raised there
            put(waiting) and put(_Raised(error))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(produce,), name="read-ahead", daemon=True)
    # The consumer waits on the database most of the time; when an answer comes it should get
    # the interpreter back within a fraction of a millisecond, not after the usual 5 ms slice
    # of the reading thread, or the database sits idle waiting for the next statement.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(min(switch_interval, SWITCH_INTERVAL))
    thread.start()
    try:
        while True:
            with gate.opened():
                got = ready.get()
            if got is _END:
                return
            if isinstance(got, _Raised):
                raise got.error
            yield from got
    finally:
        stop.set()
        gate.open_for_good()
        thread.join()
        sys.setswitchinterval(switch_interval)
