"""The pages for a dead link (404) and for a failure (500, Django's own view and 500.html)."""

import re

from django.db import DatabaseError
from django.shortcuts import render

from ..similar import similar_parties, similar_politicians

# A politician's or a party's address, also under /feeds/: the slug the reader was after.
NAMED_PATH = re.compile(r"(?:^|/)(politicians|parties)/([^/]+)")


def page_not_found(request, exception):
    """404 with the site's header, a search box and, for a politician's or party's address,
    the people or parties whose names are close to the slug."""
    context = {"request_path": request.path, "query": "", "politicians": [], "parties": []}
    if match := NAMED_PATH.search(request.path):
        kind, slug = match.groups()
        context["query"] = " ".join(re.split(r"[-_\s]+", slug)).strip()[:100]
        try:
            if kind == "politicians":
                context["politicians"] = similar_politicians(slug)
            else:
                context["parties"] = similar_parties(slug)
        except DatabaseError:  # the page still helps without them
            pass
    return render(request, "404.html", context, status=404)
