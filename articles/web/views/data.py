"""/data/: every way to take the archive's data away, with one working example each."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.derived import counts
from articles.models import ArticleCount, Party, Politician, Topic

Dimension = ArticleCount.Dimension


def _most_covered(model, dimension):
    """The politician (or party) with most published articles, else the first by name."""
    top = counts.largest(dimension, 1)
    found = model.objects.filter(pk__in=top).first() if top else None
    return found or model.objects.order_by("name").first()


@require_safe
def open_data(request):
    politician = _most_covered(Politician, Dimension.POLITICIAN)
    party = _most_covered(Party, Dimension.PARTY)
    topic = Topic.objects.order_by("name").first()
    url = request.build_absolute_uri
    examples = []

    def example(title, description, path, kind):
        examples.append(
            {"title": title, "description": description, "url": url(path), "kind": kind}
        )

    example(
        "All articles (RSS)",
        "Every published article, newest first.",
        reverse("feeds:articles"),
        "RSS 2.0",
    )
    example(
        "All articles (Atom)", "The same as Atom 1.0.", reverse("feeds:articles-atom"), "Atom 1.0"
    )
    if politician:
        example(
            f"{politician.name} (RSS)",
            "Every article mentioning one politician.",
            reverse("feeds:politician", args=[politician.slug]),
            "RSS 2.0",
        )
        example(
            f"Articles mentioning {politician.name} (CSV)",
            "Any article browser result as CSV: add the browser's query string.",
            reverse("exports:articles-csv") + f"?politician={politician.slug}",
            "CSV",
        )
        example(
            f"{politician.name}'s timeline (TimelineJS)",
            "Articles, party changes, roles and seats in the TimelineJS 3 format.",
            reverse("exports:timeline-json", args=[politician.slug]),
            "JSON",
        )
    if party:
        example(
            f"{party.name} (RSS)",
            "Articles mentioning a member of the party, as of each article's date.",
            reverse("feeds:party", args=[party.slug]),
            "RSS 2.0",
        )
    if topic:
        example(
            f"{topic.name} (RSS)",
            "Every article on one topic.",
            reverse("feeds:topic", args=[topic.slug]),
            "RSS 2.0",
        )
    example(
        "People, parties and memberships (Popolo)",
        "Every politician with their party memberships, roles and identifiers.",
        reverse("exports:popolo"),
        "Popolo JSON",
    )
    example(
        "Articles (JSON API)",
        "The browser's filters and facets as JSON; documented below.",
        reverse("api:list_articles") + (f"?politician={politician.slug}" if politician else ""),
        "JSON",
    )
    example(
        "The API's description",
        "OpenAPI 3, for code generators.",
        reverse("api:openapi-json"),
        "OpenAPI",
    )
    example(
        "The API, interactively",
        "Try every endpoint in the browser.",
        reverse("api:openapi-view"),
        "HTML",
    )
    example("Sitemap", "Every public page, for search engines.", reverse("sitemap"), "XML")
    return render(request, "articles/data.html", {"examples": examples})
