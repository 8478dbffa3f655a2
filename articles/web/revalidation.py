"""Conditional GETs: data that changes with the archive is revalidated, not kept for long.

The JSON API, the Popolo export and the politicians' TimelineJS data are read by browsers, CDNs
and scripts that keep what they fetched. A long lifetime would keep an article an editor has
since unpublished in those copies. So these answers carry a short ``max-age``
(``REVALIDATE_SECONDS``, 60 by default) with ``must-revalidate``, and an ``ETag`` made from the
archive's generation token (``articles.derived.generation``) and the URL: the token is replaced
with every change to the archive, so the tag names exactly one state of the archive for one URL.
A request that sends the tag back in ``If-None-Match`` is answered 304 after reading the token
alone (one indexed query, shared with the page cache), without running the view's queries.

The generation row holds no time, so there is no ``Last-Modified``: the tag is the validator.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from articles.derived.generation import generation

REVALIDATED_STATUSES = frozenset({200, 304})


def archive_etag(request, *args, **kwargs):
    """The tag of the answer to ``request`` in the archive's current state (quoted, strong)."""
    state = f"{generation()} {request.build_absolute_uri()}"
    return '"' + hashlib.sha256(state.encode()).hexdigest()[:32] + '"'


def revalidated(view):
    """Give ``view`` an archive ``ETag``, answer a matching ``If-None-Match`` with 304 before
    the view runs, and let its answers be kept ``REVALIDATE_SECONDS`` before asking again."""
    conditional = condition(etag_func=archive_etag)(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in REVALIDATED_STATUSES:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.REVALIDATE_SECONDS,
                must_revalidate=True,
            )
        return response

    return wrapped
