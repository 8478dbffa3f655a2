"""An article record with everything worked out that needs no database: the politicians it
mentions (given, or found in its text) with their party on its date, and its slug."""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Mention
from articles.names import find_names

from .records import ArticleRecord
from .report import RecordError


@dataclass(eq=False)
class PreparedArticle:
    record: ArticleRecord
    problem: str | None = None  # why it cannot be imported (a mention that names no one)
    mentions: list = field(default_factory=list)  # [(politician id, role)]: given, or found
    state: str = Mention.State.CONFIRMED  # the state those mentions get
    parties: list = field(default_factory=list)  # each mentioned politician's party that day
    ambiguous: list = field(default_factory=list)  # [(name, [candidate ids])] left to an editor
    slug: str = ""  # from the headline; made unique when the article is written
    day_start: object = None  # the local day of publication, for matching by date
    day_end: object = None
    source_id: int | None = None  # resolved when the article is written
    topic_ids: list = field(default_factory=list)
    author_ids: list = field(default_factory=list)  # from the byline, resolved when written
    day_text: tuple = ()  # day_start and day_end in ISO 8601, for the database
    # The values of its row in ARTICLE_FIELDS order, and of its mentions' in MENTION_FIELDS'.
    fields: tuple = ()
    mention_rows: list = field(default_factory=list)

    @property
    def suggested(self):
        """Whether the mentions were found in the text rather than listed in the record."""
        return self.record.mentions is None


ARTICLE_FIELDS = ["headline", "standfirst", "body", "published_at", "byline", "url", "status"]
MENTION_FIELDS = ["politician_id", "role", "state", "published_on", "party_id"]


_NOT_SLUG = re.compile(r"[^\w\s-]")
_SLUG_SPACE = re.compile(r"[-\s]+")


def slug_of(headline):
    """``slugify(headline)``, quicker for ASCII text (which NFKD and the ASCII encoding that
    ``slugify`` starts with leave as it is)."""
    if not headline.isascii():
        return slugify(headline)
    return _SLUG_SPACE.sub("-", _NOT_SLUG.sub("", headline.lower())).strip("-_")


def headline_slug(headline):
    """The slug an imported article is given (before a suffix makes it unique, if taken)."""
    return slug_of(headline)[:240].strip("-") or "article"


@functools.lru_cache(maxsize=4096)
def day_bounds(on, zone):
    """The start and end of the local day ``on`` in ``zone``, and both in ISO 8601 (articles of
    an import share their days, so each is worked out once)."""
    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min), zone)
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min), zone)
    return start, end, (start.isoformat(), end.isoformat())


def prepare(record, *, people, index, suggested_state, zone):
    """A PreparedArticle for ``record``; ``people`` is a People, ``index`` a NameIndex,
    ``zone`` the time zone of the archive's dates."""
    on = record.published_on
    article = PreparedArticle(record, slug=headline_slug(record.headline))
    zone = zone or timezone.get_current_timezone()
    article.day_start, article.day_end, article.day_text = day_bounds(on, zone)
    if record.mentions is not None:
        given = {}
        try:
            for reference, role in record.mentions:
                given.setdefault(people.politician_id(reference), role)
        except RecordError as error:
            article.problem = error.reason
            return article
        article.mentions = list(given.items())
    else:
        matches = find_names(record.text(), index, on=on)
        article.mentions = [(pk, matches.role(pk)) for pk in sorted(matches.found)]
        article.state = suggested_state
        article.ambiguous = [
            (name[:200], sorted(candidates))
            for name, candidates in matches.ambiguous.items()
            if not candidates & matches.found
        ]
    article.parties = [people.party_on(pk, on) for pk, _ in article.mentions]
    article.fields = (
        record.headline,
        record.standfirst or "",
        record.body,
        record.published_at,
        record.byline or "",
        record.url,
        record.status or Article.Status.PUBLISHED.value,
    )
    article.mention_rows = [
        (pk, role, article.state, on, party)
        for (pk, role), party in zip(article.mentions, article.parties, strict=True)
    ]
    return article
