"""The mentions' copies of their article's date and of the politician's party on that date.

``Mention.published_on`` and ``Mention.party`` let the browser select and count "articles
mentioning a Labour member at the time" from one index, without joining the article and the
memberships on every request. They are written only here, called by the gateway
(``articles.derived.gateway``): copies of a single new or edited mention are set before it is
saved; after bulk changes, set-based statements bring whole sets of mentions up to date.
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from articles.models import Article, Mention

from . import parties

CHUNK = 5000


def fill_in(mention):
    """Set a mention's copies from its article and the memberships, before it is saved."""
    if mention.article_id:
        mention.published_on = mention.article.published_on
    if mention.politician_id and mention.published_on:
        mention.party = parties.party_of(mention.politician_id, mention.published_on)


def copy_dates(article_ids):
    """Give the mentions of ``article_ids`` (None: of every article) their article's date (in
    the archive's time zone)."""
    local_date = (
        Article.objects.filter(pk=OuterRef("article"))
        .annotate(on=TruncDate("published_at"))
        .values("on")[:1]
    )
    if article_ids is None:
        article_ids = Article.objects.values_list("pk", flat=True)
    ids = sorted(article_ids)
    for start in range(0, len(ids), CHUNK):
        Mention.objects.filter(article_id__in=ids[start : start + CHUNK]).update(
            published_on=Subquery(local_date)
        )


def stale_parties(mentions):
    """(mention id, article id) of ``mentions`` (a queryset) whose party is not their
    politician's party on the article's date."""
    differs = (
        Q(party__isnull=True, new_party__isnull=False)
        | Q(party__isnull=False, new_party__isnull=True)
        | (Q(party__isnull=False, new_party__isnull=False) & ~Q(party=F("new_party")))
    )
    return list(
        mentions.order_by()
        .annotate(new_party=parties.party_subquery())
        .filter(differs)
        .values_list("pk", "article_id")
    )


def write_parties(mention_ids):
    """Give ``mention_ids`` their politician's party on the article's date. Only the mentions
    whose party changes are passed here (an edited membership moves a few dates, while its
    politician may have many thousands of mentions)."""
    ids = sorted(mention_ids)
    for start in range(0, len(ids), CHUNK):
        Mention.objects.filter(pk__in=ids[start : start + CHUNK]).update(
            party=parties.party_subquery()
        )
