"""What every export says about an article, fetched in a fixed number of queries.

``summary`` is also what the readers' pages show under a headline and in ``og:description``.
"""

import re
import textwrap

from django.db.models import Prefetch
from django.db.models.functions import Substr

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


SUMMARY_CHARS = 280
# A first sentence is found in the body's opening characters; lists load only these.
BODY_START_CHARS = 1200
# A full stop after one of these, after an initial ("J. K.") or in "No. 10" ends no sentence.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "rev", "vs", "gen", "col", "sen", "rep"}
SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*(?=\s+[\"'‘“(\[]?[A-Z0-9])")


def with_summary_text(queryset):
    """``queryset`` with the opening of each body as ``body_start``: what ``summary`` needs when
    there is no standfirst, without loading whole bodies."""
    return queryset.annotate(body_start=Substr("body", 1, BODY_START_CHARS))


def first_sentence(text):
    """The first sentence of the first paragraph of ``text`` (all of it if it has no end)."""
    paragraph = next((p for p in re.split(r"\n\s*\n", text) if p.strip()), "")
    paragraph = " ".join(paragraph.split())
    for end in SENTENCE_END.finditer(paragraph):
        word = re.search(r"(\w+)\W*$", paragraph[: end.start()])
        word = word[1] if word else ""
        numbered = word == "No" and paragraph[end.end() + 1 : end.end() + 2].isdigit()
        if word.lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word) or numbered:
            continue
        return paragraph[: end.end()]
    return paragraph


def trimmed(text, limit=SUMMARY_CHARS):
    """``text`` cut at a word to at most ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    shortened = textwrap.shorten(text, width=limit, placeholder=" …")
    if shortened == "…":  # one word longer than the limit
        return text[: limit - 1] + "…"
    return re.sub(r"[\s,;:–—-]+ …$", " …", shortened)


def summary(article, limit=SUMMARY_CHARS):
    """The standfirst, or else the first sentence of the body, trimmed at a word to ``limit``
    characters: what a card, a feed entry, the API and ``og:description`` say of an article."""
    text = article.standfirst.strip()
    if not text:
        body = getattr(article, "body_start", None)
        text = first_sentence(article.body if body is None else body)
    return trimmed(text, limit)


def politicians_of(article):
    return [mention.politician for mention in article.public_mentions]


def parties_of(article):
    """The parties of the mentioned politicians on the article's date, each once, by name."""
    parties = {m.party.pk: m.party for m in article.public_mentions if m.party is not None}
    return sorted(parties.values(), key=lambda party: party.name)


def topics_of(article):
    return list(article.topics.all())
