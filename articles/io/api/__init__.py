"""The read-only JSON API at ``/api/`` (django-ninja; OpenAPI 3 at ``/api/openapi.json``)."""

from functools import wraps

from ninja import NinjaAPI
from ninja.errors import ValidationError

from articles.web.revalidation import revalidated

from .endpoints import router

CACHE_SECONDS = 300  # the OpenAPI document and its page, which change only with the code


class ReadOnlyAPI(NinjaAPI):
    """Every answer may be read from any origin (and is revalidated: ``revalidated`` below)."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response


def open_to_all(view):
    """The OpenAPI document may be cached for a while and read from any origin."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return response

    return wrapped


api = ReadOnlyAPI(
    title="Political News Archive API",
    version="1.0.0",
    description=(
        "Read-only access to the archive: articles (with the article browser's filters), "
        "politicians, parties, topics and sources. GET only; no key needed."
    ),
    urls_namespace="api",
    # Swagger UI from django-ninja's own static files ("ninja" is an installed app), so the
    # page loads nothing from elsewhere and runs under the site's CSP.
    docs_url="/docs",
    docs_decorator=open_to_all,
)


def _describe(error):
    parts = []
    for item in error.errors:
        where = ".".join(str(part) for part in item.get("loc", ()) if part != "query")
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else item.get("msg", ""))
    return "; ".join(parts) or "Invalid request."


@api.exception_handler(ValidationError)
def invalid_request(request, error):
    return api.create_response(request, {"detail": _describe(error)}, status=400)


# Every endpoint: an ETag from the archive's generation, 304 before the query is even parsed, a
# short max-age (articles/web/revalidation.py).
api.add_decorator(revalidated, mode="view")
api.add_router("/", router)
