"""Articles for the bulk exports (CSV, the archive dump), read in batches at database speed.

One cursor runs over the selection (a server-side cursor on PostgreSQL, so the database sends
rows as they are read); for each batch of articles, one query fetches their confirmed mentions,
one their topics and one their authors, as plain values. Names of politicians, parties, topics,
authors and sources are looked up once per export. Memory holds one batch and the names,
whatever the size of the selection; no model instance is built.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.db import connections
from django.urls import reverse
from django.utils import timezone

from articles.backends import backend
from articles.models import (
    ArticleAuthor,
    ArticleTopic,
    Author,
    Mention,
    Party,
    Politician,
    Source,
    Topic,
)

BATCH_SIZE = 2000


@dataclass(slots=True)
class ExportedMention:
    politician: str
    popolo_id: str
    party: str  # the party on the article's date; "" for none
    role: str


@dataclass(slots=True)
class ExportedArticle:
    id: int
    headline: str
    published_at: dt.datetime
    published_on: dt.date
    path: str
    url: str
    source: str
    mentions: list = field(default_factory=list)  # ExportedMention, in politicians' sort order
    topics: list = field(default_factory=list)  # names, sorted
    authors: list = field(default_factory=list)  # names, in the byline's order
    standfirst: str = ""
    body: str = ""
    byline: str = ""
    status: str = ""

    @property
    def parties(self):
        """The mentioned politicians' parties on the article's date, each once, by name."""
        return sorted({m.party for m in self.mentions if m.party})


ARTICLE_FIELDS = ("id", "headline", "published_at", "slug", "url", "source_id")
TEXT_FIELDS = ("standfirst", "body", "byline", "status")


def article_path_format():
    """The article page's path as a ``str.format`` template (one ``reverse()`` per export)."""
    sample = reverse(
        "articles:detail", kwargs={"year": 1234567, "month": "M_M", "day": "D_D", "slug": "S_S"}
    )
    template = sample.replace("{", "{{").replace("}", "}}")
    for marker, name in (("1234567", "0"), ("M_M", "1:02d"), ("D_D", "2:02d"), ("S_S", "3")):
        template = template.replace(marker, "{" + name + "}", 1)
    return template


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class _Names:
    """Names by id for one model, fetched as new ids turn up and kept for the export."""

    def __init__(self, queryset, *fields):
        self.queryset, self.fields, self.known = queryset, fields, {}

    def fetch(self, ids):
        missing = {i for i in ids if i is not None and i not in self.known}
        if missing:
            for pk, *values in self.queryset.filter(pk__in=missing).values_list("pk", *self.fields):
                self.known[pk] = values[0] if len(values) == 1 else tuple(values)
        return self.known


def _rows(db, model, column, ids, select, and_where=("", [])):
    """Rows of ``model``'s table whose ``column`` is among ``ids``, as tuples: the values are
    sent as one parameter where the database allows it (``backend.rows_matching``), which is
    several times faster than an ORM ``__in`` of thousands of ids."""
    connection = connections[db]
    sql, params = backend(connection).rows_matching(
        connection.ops.quote_name(model._meta.db_table), column, ids, select=select
    )
    condition, extra = and_where
    if condition:
        sql, params = f"{sql} AND {condition}", [*params, *extra]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def article_batches(queryset, *, text=False, size=None):
    """Lists of ``ExportedArticle`` for ``queryset`` (in its order), ``size`` at a time.

    With ``text``, each also carries its standfirst, body, byline and status.
    """
    size = size or BATCH_SIZE
    db = queryset.db
    fields = ARTICLE_FIELDS + (TEXT_FIELDS if text else ())
    rows = queryset.values_list(*fields).iterator(chunk_size=size)
    zone = timezone.get_current_timezone()
    path_format = article_path_format()
    sources = _Names(Source.objects.using(db), "name")
    politicians = _Names(Politician.objects.using(db), "name", "sort_name", "popolo_id")
    parties = _Names(Party.objects.using(db), "name")
    topics = _Names(Topic.objects.using(db), "name")
    authors = _Names(Author.objects.using(db), "name")
    for batch in _batched(rows, size):
        ids = [row[0] for row in batch]
        mentions = _rows(
            db,
            Mention,
            "article_id",
            ids,
            "t.article_id, t.politician_id, t.party_id, t.role",
            and_where=("t.state = %s", [Mention.State.CONFIRMED]),
        )
        tags = _rows(db, ArticleTopic, "article_id", ids, "t.article_id, t.topic_id")
        bylines = _rows(db, ArticleAuthor, "article_id", ids, "t.article_id, t.author_id, t.id")
        source_names = sources.fetch({row[5] for row in batch})
        people = politicians.fetch({m[1] for m in mentions})
        party_names = parties.fetch({m[2] for m in mentions})
        topic_names = topics.fetch({t[1] for t in tags})
        author_names = authors.fetch({a[1] for a in bylines})

        mentions_of = defaultdict(list)
        for article_id, politician_id, party_id, role in mentions:
            name, sort_name, popolo_id = people[politician_id]
            mentions_of[article_id].append(
                (
                    (sort_name, name, politician_id),
                    ExportedMention(name, popolo_id, party_names.get(party_id, ""), role),
                )
            )
        topics_of = defaultdict(list)
        for article_id, topic_id in tags:
            topics_of[article_id].append(topic_names[topic_id])
        authors_of = defaultdict(list)
        for article_id, author_id, _ in sorted(bylines, key=lambda row: row[2]):
            authors_of[article_id].append(author_names[author_id])

        articles = []
        for row in batch:
            pk, headline, published_at, slug, url, source_id = row[:6]
            on = published_at.astimezone(zone).date()
            article = ExportedArticle(
                id=pk,
                headline=headline,
                published_at=published_at,
                published_on=on,
                path=path_format.format(on.year, on.month, on.day, slug),
                url=url or "",
                source=source_names[source_id],
                mentions=[m for _, m in sorted(mentions_of.get(pk, ()), key=lambda m: m[0])],
                topics=sorted(topics_of.get(pk, ())),
                authors=authors_of.get(pk, []),
            )
            if text:
                article.standfirst, article.body, article.byline, article.status = row[6:]
            articles.append(article)
        yield articles
