"""Request-level plumbing: one structured log line per request, and the client's address."""

import json
import logging
import time

from django.conf import settings

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
