"""How many exports may stream at once: one per client address and a few across the site.

The slots are keys in the Django cache (Redis in production), so every gunicorn worker sees the
same ones. ``cache.add`` takes a slot only if it is free (atomic on Redis). A slot is given back
when the stream ends or the client goes away (the response's ``close()``), and it expires
``EXPORT_SLOT_SECONDS`` after its last refresh, so a worker killed mid-export cannot hold it for
ever; a running export refreshes its slots as it streams.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache

RETRY_AFTER_SECONDS = 30


class ExportsBusy(Exception):
    """No slot is free; the message says why, for the client."""

    retry_after = RETRY_AFTER_SECONDS


class ExportSlot:
    def __init__(self, keys, token):
        self.keys, self.token = keys, token
        self.lifetime = settings.EXPORT_SLOT_SECONDS
        self.refreshed = time.monotonic()

    def refresh(self):
        """Keep the slot for another lifetime (at most every third of one)."""
        now = time.monotonic()
        if now - self.refreshed > self.lifetime / 3:
            for key in self.keys:
                cache.touch(key, self.lifetime)
            self.refreshed = now

    def release(self):
        """Give the slot back (only the keys still ours, if it expired and was taken again)."""
        for key in self.keys:
            if cache.get(key) == self.token:
                cache.delete(key)
        self.keys = []


def _take_one(prefix, limit, token):
    for number in range(limit):
        key = f"{prefix}:{number}"
        if cache.add(key, token, settings.EXPORT_SLOT_SECONDS):
            return key
    return None


def take_slot(client):
    """A slot for one export by ``client`` (an address), or ExportsBusy. A limit of 0 is none."""
    token = uuid.uuid4().hex
    keys = []
    per_client = settings.EXPORTS_PER_CLIENT
    if per_client:
        key = _take_one(f"exports:client:{client}", per_client, token)
        if key is None:
            raise ExportsBusy(
                "An export for your address is already running; one at a time, please. "
                f"Try again when it has finished (in about {RETRY_AFTER_SECONDS} seconds)."
            )
        keys.append(key)
    site_wide = settings.EXPORTS_SITE_WIDE
    if site_wide:
        key = _take_one("exports:site", site_wide, token)
        if key is None:
            ExportSlot(keys, token).release()
            raise ExportsBusy(
                f"The archive is busy with {site_wide} other exports. "
                f"Please try again in about {RETRY_AFTER_SECONDS} seconds."
            )
        keys.append(key)
    return ExportSlot(keys, token)


class StreamHoldingSlot:
    """Chunks streamed while holding ``slot``; the response's ``close()`` gives it back, whether
    the stream ended or the client went away (WSGI servers close the response either way)."""

    def __init__(self, chunks, slot):
        self.chunks, self.slot = chunks, slot

    def __iter__(self):
        for chunk in self.chunks:
            self.slot.refresh()
            yield chunk

    def close(self):
        try:
            if hasattr(self.chunks, "close"):
                self.chunks.close()
        finally:
            self.slot.release()
