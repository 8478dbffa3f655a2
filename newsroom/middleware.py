"""Request-level plumbing: one structured log line per request, the client's address, and which
database a request reads from."""

import json
import logging
import random
import time
from functools import cached_property

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse
from django.urls import reverse

from .routers import reading_from, streamed_with

logger = logging.getLogger("newsroom.requests")


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the one our reverse proxies put in X-Forwarded-For.

    With TRUSTED_PROXY_COUNT proxies in front, the client is that many entries from the right of
    X-Forwarded-For; anything further left was sent by the client and proves nothing.
    """
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if trusted and len(forwarded) >= trusted:
        return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR", "")


class RequestLogMiddleware:
    """Log one JSON line per request: method, path, status and duration in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        logger.info(
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
                ensure_ascii=False,
            )
        )
        return response


class ReplicaRoutingMiddleware:
    """Send the public site's reads to a read replica, chosen at random for each request.

    The admin, unsafe methods and editors' requests (those with a session cookie) read from the
    primary; see ``newsroom.routers`` for the rest. Without replicas in DATABASES it is not used.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response
        self.replicas = [alias for alias in connections if alias != DEFAULT_DB_ALIAS]
        if not self.replicas:
            raise MiddlewareNotUsed

    @cached_property
    def admin_prefix(self):
        return reverse("admin:index")

    def replica_for(self, request):
        """The replica ``request`` reads from, or None for the primary."""
        if (
            request.method not in self.SAFE_METHODS
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or request.path.startswith(self.admin_prefix)
        ):
            return None
        return random.choice(self.replicas)

    def __call__(self, request):
        with reading_from(self.replica_for(request)) as routing:
            response = self.get_response(request)
        if (
            response.streaming
            and routing.replica is not None
            and not response.is_async
            and not isinstance(response, FileResponse)
        ):
            response.streaming_content = streamed_with(routing, response.streaming_content)
        return response
