"""Page-number pagination with absolute ``next``/``previous`` links that keep the query."""

from ninja.errors import HttpError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _page_link(request, page):
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def paginate(request, queryset, *, page, page_size, serialise, count=None):
    """One page of ``queryset`` as ``{count, next, previous, results}``; 404 past the end.

    ``count``: the number of rows, when the caller knows it already.
    """
    count = queryset.count() if count is None else count
    last = max(1, -(-count // page_size))
    if page > last:
        raise HttpError(404, f"Page {page} is past the last page ({last}).")
    start = (page - 1) * page_size
    return {
        "count": count,
        "next": _page_link(request, page + 1) if page < last else None,
        "previous": _page_link(request, page - 1) if page > 1 else None,
        "results": serialise(queryset[start : start + page_size]),
    }
