"""The page cache: whole public pages kept until the archive changes.

Anonymous GET and HEAD requests for the readers' pages, feeds, sitemaps, exports and the API are
answered from the ``default`` cache (Redis with ``REDIS_URL``, otherwise each process's memory)
when the same URL (scheme, host, path and query string exactly as sent) was answered before
under the current *generation*: the random token of the archive's one ``ArchiveGeneration`` row
(``articles.derived.generation``). Every change to the archive replaces that token, in the
transaction that makes the change, so pages stored before the change are never read again (they
expire on their own). The token is random, not a counter: a database restored from a backup
brings back the token its contents were served under, never one that meant other contents.
Reading it is one indexed query per request, made through the same database router as the
pages' own queries, so every process, whether its cache is shared or its own, sees a change on
its very next request.

What replaces the token: every save, delete and many-to-many change of the ``articles`` app's
models (``articles.derived.signals``), and every ``articles.derived.change()`` block, inside
which bulk writes of articles, mentions, topics and memberships must run (the guard in
``articles.derived.guard`` refuses them elsewhere in tests and with debug on). Code that writes
other models in bulk calls ``articles.derived.generation.bump()``.

Time changes pages too, with no write: an article published with a date still to come appears when
that time arrives, and "today" (current parties) moves on at midnight. So no page is kept past the
next scheduled publication, the next local midnight, or ``PAGE_CACHE_SECONDS``.

Never cached: the admin and ``/healthz``; requests with a session or CSRF cookie or an
Authorization header, or from a logged-in user; streamed responses (the CSV export); responses
that set a cookie, vary on a request header other than Cookie, say ``private``, ``no-store`` or
``no-cache``, used a CSP nonce, or have a status other than 200, 301, 302, 400 or 404. The 400
and 404 pages come from the same data as the others (an unknown politician in a filter, an
article not yet published) and go stale the same way; keeping them means a crawler asking for the
same bad URL again does not reach the database.

A stored page with an ``ETag`` (the API and the data exports: ``articles.web.revalidation``)
answers a request whose ``If-None-Match`` names it with 304, as its view would have.

A page the cache answered carries ``X-Cache: hit``, one it looked up and did not have
``X-Cache: miss``; requests it leaves alone get no such header. ``PAGE_CACHE = False``
(``DJANGO_PAGE_CACHE=0``; the default with debug on) or a ``DummyCache`` turns it off entirely
(no query, no header).
"""

import datetime as dt
import hashlib
import math

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response

from articles.derived.generation import generation

HEADER = "X-Cache"
STORED_STATUSES = frozenset({200, 301, 302, 400, 404})
UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
KEY_PREFIX = "page"


# -- how long a page may be kept --------------------------------------------------------------


def _next_publication(store, number, now):
    """Unix time of the earliest published article still to appear (None if there is none).

    Kept in the cache under the generation, until that moment comes.
    """
    from articles.models import Article

    key = f"{KEY_PREFIX}:{number}:next-publication"
    cached = store.get(key)
    if cached is not None:
        return cached or None
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        store.set(key, 0, settings.PAGE_CACHE_SECONDS)
        return None
    moment = upcoming.timestamp()
    if (seconds := math.floor(moment - now.timestamp())) >= 1:
        store.set(key, moment, seconds)
    return moment


def _seconds_to_midnight(now):
    local = timezone.localtime(now)
    midnight = timezone.make_aware(
        dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time())
    )
    return (midnight - now).total_seconds()


def page_timeout(store, number, now=None):
    """Whole seconds a page stored now may be kept (0: do not store it)."""
    now = now or timezone.now()
    limits = [settings.PAGE_CACHE_SECONDS, _seconds_to_midnight(now)]
    if (upcoming := _next_publication(store, number, now)) is not None:
        limits.append(upcoming - now.timestamp())
    return max(0, math.floor(min(limits)))


# -- the middleware ---------------------------------------------------------------------------


def _excluded_prefixes():
    return (reverse("admin:index"), reverse("healthz"))


def _store_for(request):
    """The cache to use for ``request``, or None if it must go to the view."""
    if not getattr(settings, "PAGE_CACHE", False) or request.method not in ("GET", "HEAD"):
        return None
    if request.path_info.startswith(_excluded_prefixes()):
        return None
    cookies = request.COOKIES
    if (
        settings.SESSION_COOKIE_NAME in cookies
        or settings.CSRF_COOKIE_NAME in cookies
        or "HTTP_AUTHORIZATION" in request.META
    ):
        return None
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    # The settings are asked too: a command may swap in a DummyCache after the system checks
    # have opened the configured one (manage.py benchmark does).
    if settings.CACHES.get(alias, {}).get("BACKEND", "").endswith(".DummyCache"):
        return None
    store = caches[alias]
    return None if isinstance(store, DummyCache) else store


def _storable(request, response):
    if response.status_code not in STORED_STATUSES or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    varies = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h.strip()}
    if varies - {"cookie"}:
        return False
    if getattr(request, "_csp_nonce", None) is not None:  # a nonce is for one response only
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _entry(response):
    # django-csp reads per-view policy changes from attributes of the response.
    csp = {name: value for name, value in vars(response).items() if name.startswith("_csp")}
    return (
        response.status_code,
        response.reason_phrase,
        list(response.items()),
        response.content,
        csp,
    )


def _response(entry):
    status, reason, headers, content, csp = entry
    response = HttpResponse(content, status=status, reason=reason, headers=dict(headers))
    for name, value in csp.items():
        setattr(response, name, value)
    return response


def _key(number, url):
    return f"{KEY_PREFIX}:{number}:{hashlib.sha256(url.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Answer anonymous requests for public pages from the cache (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        store = _store_for(request)
        if store is None:
            return self.get_response(request)
        try:
            url = request.build_absolute_uri()
        except DisallowedHost:
            return self.get_response(request)
        number = generation()
        key = _key(number, url)
        entry = store.get(key)
        if entry is not None:
            response = _response(entry)
            # A stored page with an archive ETag (articles/web/revalidation.py) answers a
            # matching If-None-Match with 304, as its view would have.
            if etag := response.get("ETag"):
                response = get_conditional_response(request, etag=etag, response=response)
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        # A HEAD answer is never stored: a view may leave its body out.
        if (
            request.method == "GET"
            and _storable(request, response)
            and (timeout := page_timeout(store, number))
        ):
            store.set(key, _entry(response), timeout)
        response[HEADER] = "miss"
        return response
