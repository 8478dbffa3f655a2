"""Mention suggestions: the politicians an article's text names (found by ``articles.names``),
added to the article as suggested mentions with a suggested role (subject, quoted, mentioned),
and the names that fit several politicians recorded for an editor.
"""

from django.db import transaction

from . import derived
from .models import AmbiguousName, Mention
from .names import NameIndex, NameMatches, find_names
from .names.text import ASCII_WORD_OR_SEPARATOR, WORD, WORD_OR_SEPARATOR

__all__ = [
    "ASCII_WORD_OR_SEPARATOR",
    "WORD",
    "WORD_OR_SEPARATOR",
    "NameIndex",
    "NameMatches",
    "article_text",
    "find_names",
    "suggest_for_articles",
    "suggest_mentions",
]


def article_text(article):
    return "\n".join([article.headline, article.standfirst, article.body])


@transaction.atomic
def suggest_mentions(article, *, index=None, confirm_unambiguous=False):
    """Add suggested mentions for names in ``article`` that it does not link yet.

    Never touches existing mentions (a rejected one keeps its politician from being suggested
    again). Ambiguous names are recorded for the editor, and dropped once one of their
    candidates is linked. Returns the newly added politicians and the open ambiguities.
    """
    index = index or NameIndex.build()
    matches = find_names(article_text(article), index, on=article.published_on)
    linked = set(article.mentions.values_list("politician_id", flat=True))
    new = sorted(matches.found - linked)
    state = Mention.State.CONFIRMED if confirm_unambiguous else Mention.State.SUGGESTED
    if new:
        # Confirmed mentions count in the stored per-month counts (suggested ones do not).
        tracked = [article.pk] if confirm_unambiguous else []
        with derived.change(tracked) as block:
            Mention.objects.bulk_create(
                [
                    Mention(article=article, politician_id=pk, state=state, role=matches.role(pk))
                    for pk in new
                ]
            )
            block.dates_changed([article.pk])  # the new mentions' copies of date and party
    linked |= set(new)
    open_names = {name: ids for name, ids in matches.ambiguous.items() if not ids & linked}
    article.ambiguous_names.exclude(name__in=open_names).delete()
    for name, ids in open_names.items():
        ambiguous, _ = AmbiguousName.objects.get_or_create(article=article, name=name)
        ambiguous.candidates.set(ids)
    return NameMatches(
        found=set(new),
        ambiguous=open_names,
        text=matches.text,
        where=matches.where,
        places=matches.places,
    )


def suggest_for_articles(articles, *, confirm_unambiguous=False):
    """Run ``suggest_mentions`` over many articles with one name index; returns how many added."""
    index = NameIndex.build()
    return sum(
        len(suggest_mentions(a, index=index, confirm_unambiguous=confirm_unambiguous).found)
        for a in articles
    )
