"""What every export says about an article, fetched in a fixed number of queries."""

from django.db.models import Prefetch

from articles.models import Mention, Topic


class BadQuery(ValueError):
    """Query parameters the article browser would reject; ``errors`` maps field to messages."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def browser_filter(params, queryset=None):
    """The article browser's FilterSet for ``params`` (``/articles/?…``); BadQuery if invalid."""
    from articles.facets.filters import ArticleFilter

    filterset = ArticleFilter(params, queryset=queryset)  # None: every published article
    if not filterset.is_valid():
        raise BadQuery({field: list(messages) for field, messages in filterset.errors.items()})
    return filterset


def browser_articles(params, queryset=None):
    """Published articles selected by the browser's query parameters, in the browser's order."""
    return browser_filter(params, queryset).qs


def with_export_relations(queryset):
    """Articles with their source, public mentions (politician, party on the date) and topics.

    Each article gets ``public_mentions`` (confirmed, in politicians' sort order).
    """
    mentions = (
        Mention.objects.confirmed()
        .select_related("politician", "party")
        .order_by("politician__sort_name", "politician__name", "id")
    )
    return queryset.select_related("source").prefetch_related(
        Prefetch("mentions", queryset=mentions, to_attr="public_mentions"),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
    )


def summary(article):
    """The standfirst, or else the first paragraph of the body."""
    if article.standfirst.strip():
        return article.standfirst.strip()
    paragraphs = article.paragraphs()
    return paragraphs[0] if paragraphs else ""


def politicians_of(article):
    return [mention.politician for mention in article.public_mentions]


def parties_of(article):
    """The parties of the mentioned politicians on the article's date, each once, by name."""
    parties = {m.party.pk: m.party for m in article.public_mentions if m.party is not None}
    return sorted(parties.values(), key=lambda party: party.name)


def topics_of(article):
    return list(article.topics.all())
