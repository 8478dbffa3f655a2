"""Writing a batch of new articles in bulk: rows go in with COPY on PostgreSQL (executemany
elsewhere), ids come from the sequence, and each mention's party is already worked out."""

import hashlib

from django.db import connection
from django.utils import timezone

from articles.models import (
    AmbiguousName,
    Article,
    ArticleAuthor,
    ArticleTopic,
    Author,
    Mention,
    Party,
    Politician,
    Source,
    Topic,
)

from .bulk import allocate_ids, insert_rows, lock_referenced, row_triggers_off, rows_matching
from .prepared import ARTICLE_FIELDS, MENTION_FIELDS

ARTICLE_COLUMNS = [
    "id",
    "slug",
    "source_id",
    *ARTICLE_FIELDS,
    "created_at",
    "updated_at",
    "version",
]
MENTION_COLUMNS = ["article_id", *MENTION_FIELDS]
# Tables that rows referring to new articles go into, whose per-row triggers batch_fk_checks
# may turn off.
RELATED_MODELS = [
    ArticleTopic,
    ArticleAuthor,
    Mention,
    AmbiguousName,
    AmbiguousName.candidates.through,
]


def insert_new_articles(articles, *, batch_fk_checks=False, meanwhile=None):
    """Write ``articles`` (PreparedArticles not in the archive yet, ``source_id`` and
    ``topic_ids`` set) with their topics, mentions and ambiguous names. Returns their ids.

    The search vector is filled in by the table's trigger, as for any other insert. The
    sources, topics, politicians and parties the rows refer to are checked and locked with one
    query each for the whole batch, so one that has gone since the import began fails this
    batch (and then its record alone), not the whole import when it commits. With
    ``batch_fk_checks`` (see ``can_skip_row_triggers``) the rows that refer to the new articles
    then go in without their per-row foreign-key triggers, which would check the same again
    (the articles they refer to are the ones just inserted).

    ``meanwhile``, a function of no arguments, is called while the database takes in the
    articles' rows (on PostgreSQL it works through the copied rows after they are sent), as
    the rows of their topics and mentions are worked out.
    """
    _lock_referenced(articles)
    ids = allocate_ids(Article, len(articles))
    new = list(zip(ids, articles, strict=True))
    # Written here rather than added by ``insert_rows`` to 100,000s of rows afterwards.
    now = timezone.now()
    extra = (now, now, Article._meta.get_field("version").get_default())
    rows = [
        (pk, slug, a.source_id, *a.fields, *extra)
        for (pk, a), slug in zip(new, free_slugs(articles), strict=True)
    ]

    def related_rows():
        related = _related_rows(new)
        if meanwhile is not None:
            meanwhile()
        return related

    related = insert_rows(Article, ARTICLE_COLUMNS, rows, meanwhile=related_rows)
    if batch_fk_checks:
        with row_triggers_off():
            _insert_related(related)
    else:
        _insert_related(related)
    return ids


def _lock_referenced(articles):
    sources, topics, authors, politicians, parties = set(), set(), set(), set(), set()
    for a in articles:
        sources.add(a.source_id)
        topics.update(a.topic_ids)
        authors.update(a.author_ids)
        politicians.update([pk for pk, _ in a.mentions])
        for _, candidates in a.ambiguous:
            politicians.update(candidates)
        parties.update(a.parties)
    parties.discard(None)
    lock_referenced(Source, sources, Article)
    lock_referenced(Topic, topics, ArticleTopic)
    lock_referenced(Author, authors, ArticleAuthor)
    lock_referenced(Politician, politicians, Mention)
    lock_referenced(Party, parties, Mention)


def _related_rows(new):
    """The rows of the topics, authors, mentions and ambiguous names of the new articles
    (``[(id, article)]``): ``(topics, authors, mentions, ambiguous)``."""
    topics = [(pk, topic) for pk, a in new for topic in a.topic_ids]
    authors = [(pk, author) for pk, a in new for author in a.author_ids]
    mentions = [(pk, *row) for pk, a in new for row in a.mention_rows]
    ambiguous = [(pk, name, candidates) for pk, a in new for name, candidates in a.ambiguous]
    return topics, authors, mentions, ambiguous


def _insert_related(related):
    """Insert the rows ``_related_rows`` worked out."""
    topics, authors, mentions, ambiguous = related
    insert_rows(ArticleTopic, ["article_id", "topic_id"], topics)
    insert_rows(ArticleAuthor, ["article_id", "author_id"], authors)
    insert_rows(Mention, MENTION_COLUMNS, mentions)
    if ambiguous:
        names = allocate_ids(AmbiguousName, len(ambiguous))
        insert_rows(
            AmbiguousName,
            ["id", "article_id", "name"],
            [(pk, article, name) for pk, (article, name, _) in zip(names, ambiguous, strict=True)],
        )
        insert_rows(
            AmbiguousName.candidates.through,
            ["ambiguousname_id", "politician_id"],
            [
                (pk, politician)
                for pk, (_, _, candidates) in zip(names, ambiguous, strict=True)
                for politician in candidates
            ],
        )


def _taken_slugs(slugs):
    with connection.cursor() as cursor:
        cursor.execute(*rows_matching(Article._meta.db_table, "slug", slugs, select="t.slug"))
        return {slug for (slug,) in cursor.fetchall()}


def free_slugs(articles):
    """A free slug for each article: its headline's, or with a short suffix when taken."""
    bases = [a.slug for a in articles]
    wanted = bases
    taken = set()
    for attempt in range(5):
        taken |= _taken_slugs(set(wanted))
        result, used, clashes = [], set(), False
        for i, (article, slug) in enumerate(zip(articles, wanted, strict=True)):
            if slug in taken or slug in used:
                r = article.record
                digest = hashlib.sha1(f"{r.url}|{r.key}|{r.line}|{attempt}".encode()).hexdigest()
                slug = f"{bases[i]}-{digest[:6]}"
                clashes = True
            used.add(slug)
            result.append(slug)
        if not clashes:
            return result
        wanted = result
    return wanted
