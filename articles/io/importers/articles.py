"""Import articles from ``.txt`` files (seed format) and ``.jsonl`` files (one article a line).

Articles are matched by URL, else by source, headline and local date, so a second run of the
same files changes nothing. New articles are written in batches, each committed on its own
together with what it changes in the stored counts, the facet sample and the mentions' copies
(one ``derived.change()`` block a batch, so an editor's save waits for one batch at most); when a
batch is refused the records are retried one by one to find the bad one. With ``atomic`` the
whole import is one transaction: nothing is kept if any record fails. Articles that list
``mentions`` get them confirmed; the others get suggestions from the names in their text, found
with one name index built for the whole import.

Files are read, checked and matched against the names in a background thread (``read_ahead``)
while this one waits for the database to write the batch before; everything that touches the
database stays in this thread. The next batch is read while the database writes this one.
"""

import gc
import time
from collections import defaultdict
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from articles import derived
from articles.backends import backend
from articles.derived import counts
from articles.models import Article, ArticleAuthor, ArticleTopic, Author, Mention, Source, Topic
from articles.models.bylines import byline_names
from articles.suggestions import NameIndex, suggest_mentions

from .bulk import can_skip_row_triggers
from .dates import parse_published_at
from .files import FileProblem
from .jsonl import read_jsonl
from .matching import existing_articles
from .new_articles import RELATED_MODELS, insert_new_articles
from .people import People
from .prepared import ARTICLE_FIELDS, MENTION_FIELDS, prepare
from .read_ahead import Gate, read_ahead
from .records import ArticleRecord
from .report import ImportReport, RecordError
from .text import read_text_article

BATCH = 1000
# A batch holds the writers' lock while it is written, and an editor's save waits for it: when
# writing one took longer than this (a busy or slow machine), the next ones are made smaller in
# proportion, down to MIN_BATCH; when it is quicker they grow again, up to BATCH.
LOCK_SECONDS = 0.5
MIN_BATCH = 50
# The first batches are smaller (each twice the one before), so that the database starts
# writing while the first records are still being read.
FIRST_BATCH = 1000
# A batch holds the writers' lock while it is written, and an editor's save waits for it: when
# writing one took longer than this (a busy or slow machine), the next ones are made smaller in
# proportion, down to MIN_BATCH; when it is quicker they grow again, up to BATCH.
LOCK_SECONDS = 0.5
MIN_BATCH = 50
PROGRESS_EVERY = 1000
# Records prepared ahead: a whole batch and then some, so that the next batch is ready by the
# time the database has written this one.
READ_AHEAD_CHUNK = 100
READ_AHEAD_CHUNKS = BATCH // READ_AHEAD_CHUNK + 20
# Allocations between two collections of the youngest objects during an import (see
# ``fewer_collections``); Python's default is 700.
YOUNG_COLLECTION_EVERY = 50_000
# After an import of this many articles the planner's statistics are brought up to date.
ANALYZE_AFTER = 10_000


def import_articles(
    paths,
    *,
    source=None,
    published_at=None,
    url=None,
    atomic=False,
    confirm_suggestions=False,
    progress=None,
) -> ImportReport:
    """Import ``.txt`` and ``.jsonl`` files. ``source``, ``published_at`` and ``url`` describe
    a ``.txt`` article (``source`` and ``published_at`` also fill in JSONL lines without them).
    With ``atomic`` nothing is kept if any record fails."""
    report = ImportReport()
    if published_at is not None:
        published_at = parse_published_at(published_at, label="--published-at")
    # Each batch is written in a transaction of its own, inside a ``derived.change()`` block
    # that brings the stored counts up to date with it: editors' saves wait at most for one
    # batch, and a batch is the unit of "nothing half-written". With ``atomic`` the whole import
    # is one transaction and one block.
    whole = transaction.atomic() if atomic else nullcontext()
    with whole, fewer_collections():
        with derived.change() if atomic else nullcontext():
            importer = _ArticleImport(report, confirm_suggestions, progress)
            items = read_ahead(
                importer.read(paths, source, published_at, url),
                chunk=READ_AHEAD_CHUNK,
                chunks=READ_AHEAD_CHUNKS,
                gate=importer.gate,
            )
            with closing(items), connection.execute_wrapper(importer.reading_while_waiting):
                for item in items:
                    if isinstance(item, _Failure):
                        importer.fail(item.file, item.line, item.reason)
                    else:
                        importer.add(item)
                importer.flush()
        if atomic and report.failed:
            transaction.set_rollback(True)
            report.rolled_back = True
    if report.created + report.updated >= ANALYZE_AFTER:
        backend().analyze(Article, Mention, ArticleTopic)
    return report


def next_batch_size(size, seconds):
    """The size of the next batch after one of ``size`` took ``seconds`` to write: twice as big
    while writing stays under ``LOCK_SECONDS``, else cut to what fits in it."""
    if seconds <= LOCK_SECONDS:
        return min(size * 2, BATCH)
    return max(MIN_BATCH, min(BATCH, int(size * LOCK_SECONDS / seconds)))


@contextmanager
def fewer_collections():
    """Run the block with the cyclic garbage collector working less often.

    An import holds a batch or two of records in memory, each of a dozen small objects that
    live until their batch is written. At Python's default thresholds the collector goes over
    them again and again as they age (about a third of the writing thread's time in an import
    of 100,000 lines); here the objects
    alive before the block are left out of collections (``gc.freeze``) and the youngest are
    collected every ``YOUNG_COLLECTION_EVERY`` allocations. Cycles are still collected; both
    settings are as before after the block.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    if thresholds[0]:  # 0: collection is off; leave it so
        gc.set_threshold(max(thresholds[0], YOUNG_COLLECTION_EVERY), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@dataclass
class _Failure:
    file: str
    line: int | None
    reason: str


class _ArticleImport:
    def __init__(self, report, confirm_suggestions, progress):
        self.report = report
        self.progress = progress
        self.new_counts = []  # (ids, contributions) of the articles the batch created
        self.suggested_state = (
            Mention.State.CONFIRMED if confirm_suggestions else Mention.State.SUGGESTED
        )
        self.confirm_suggestions = confirm_suggestions
        self.batch, self.batch_keys = [], set()
        self.batch_size = min(FIRST_BATCH, BATCH)
        self.done = 0
        self.sources = dict(Source.objects.values_list("name", "id"))
        self.topics = dict(Topic.objects.values_list("name", "id"))
        self.authors = dict(Author.objects.values_list("name", "id"))
        # Read before the reading thread starts: it resolves mentions and names with them.
        self.people = People()
        self.index = NameIndex.build()
        # The reading thread works while this one waits for the database (see Gate).
        self.gate = Gate()
        self.zone = timezone.get_current_timezone()
        self.batch_fk_checks = can_skip_row_triggers(RELATED_MODELS)

    # reading (in the read-ahead thread: no database) -----------------------------------------

    def read(self, paths, source, published_at, url):
        """Yield a PreparedArticle or a _Failure for each record of ``paths``, in order."""
        for path in paths:
            file = str(path)
            suffix = Path(file).suffix.lower()
            try:
                if suffix == ".jsonl":
                    items = read_jsonl(
                        path, source=source, published_at=published_at, zone=self.zone
                    )
                    for item in items:
                        if isinstance(item, ArticleRecord):
                            yield self.prepare(item)
                        else:
                            yield _Failure(file, item.line, item.reason)
                elif suffix == ".txt":
                    record = read_text_article(
                        path, source=source, published_at=published_at, url=url
                    )
                    yield self.prepare(record)
                else:
                    raise FileProblem("unknown kind of file (expected .txt or .jsonl)")
            except FileProblem as problem:
                yield _Failure(file, problem.line, problem.reason)
            except RecordError as error:
                yield _Failure(file, 1, error.reason)

    def reading_while_waiting(self, execute, sql, params, many, context):
        """A database execute wrapper: statements open the reading thread's gate."""
        with self.gate.opened():
            return execute(sql, params, many, context)

    def prepare(self, record):
        return prepare(
            record,
            people=self.people,
            index=self.index,
            suggested_state=self.suggested_state,
            zone=self.zone,
        )

    # batching --------------------------------------------------------------------------------

    def fail(self, file, line, reason):
        self.report.error(file, line, reason)
        self.tick()

    def tick(self, n=1):
        for _ in range(n):
            self.done += 1
            if self.progress and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)

    def add(self, article):
        key, url = article.record.key, article.record.url
        if key in self.batch_keys or (url and url in self.batch_keys):
            self.flush()  # the same article twice: the second must see the first
        self.batch.append(article)
        self.batch_keys.add(key)
        if url:
            self.batch_keys.add(url)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self):
        batch, self.batch, self.batch_keys = self.batch, [], set()
        if batch:
            started = time.perf_counter()
            try:
                self.attempt(batch)
                self.batch_size = next_batch_size(len(batch), time.perf_counter() - started)
            except DatabaseError:
                for article in batch:  # find the record the database refused
                    try:
                        self.attempt([article])
                    except DatabaseError as error:
                        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
                        record = article.record
                        self.fail(record.file, record.line, f"rejected by the database: {reason}")

    def attempt(self, batch):
        """Write ``batch`` in its own ``derived.change()`` block; if the database refuses it,
        undo its counts too.

        What the articles it created add to the stored counts is handed to the block only once
        the batch is in, so a refused batch adds nothing; the articles it updated were counted
        as they were before the batch (or the atomic import), and are counted again when the
        block ends, so one refused adds nothing either.
        """
        report = self.report
        saved = (report.created, report.updated, report.unchanged, report.failed)
        errors, done = len(report.errors), self.done
        self.new_counts = []
        self.written = 0
        try:
            with derived.change() as block:
                with transaction.atomic():
                    self.write_batch(batch, block)
                for ids, contributions in self.new_counts:
                    block.created(ids, contributions)
        except DatabaseError:
            report.created, report.updated, report.unchanged, report.failed = saved
            del report.errors[errors:]
            self.done = done
            # Sources, topics and authors created in the undone savepoint are gone again.
            self.sources = dict(Source.objects.values_list("name", "id"))
            self.topics = dict(Topic.objects.values_list("name", "id"))
            self.authors = dict(Author.objects.values_list("name", "id"))
            raise
        self.tick(self.written)  # progress is reported once the batch is in

    # writing ---------------------------------------------------------------------------------

    def source_id(self, name):
        if name not in self.sources:
            source = Source(name=name)
            source.save()
            self.sources[name] = source.pk
        return self.sources[name]

    def topic_ids(self, names):
        ids = []
        for name in names or ():
            if name not in self.topics:
                topic = Topic(name=name)
                topic.save()
                self.topics[name] = topic.pk
            ids.append(self.topics[name])
        return ids

    def author_ids(self, byline):
        """The ids of the authors ``byline`` names, filing the new ones."""
        ids = []
        for name in byline_names(byline):
            if name not in self.authors:
                author = Author(name=name)
                author.save()
                self.authors[name] = author.pk
            ids.append(self.authors[name])
        return ids

    def write_batch(self, batch, block):
        """Write one batch of PreparedArticles: new ones in bulk (``insert_new_articles``),
        existing ones brought up to date one by one."""
        ready = []
        for article in batch:
            if article.problem:
                self.fail(article.record.file, article.record.line, article.problem)
            else:
                ready.append(article)
        if not ready:
            return
        for article in ready:
            article.source_id = self.source_id(article.record.source)
            article.topic_ids = self.topic_ids(article.record.topics)
            article.author_ids = self.author_ids(article.record.byline)
        existing = existing_articles(ready)
        # The existing articles are counted as they are now, before this batch changes them
        # (the first time only), and once more when the block ends.
        block.articles([a.pk for a in existing.values()])
        if existing:
            self.update_existing(ready, existing)
        new = [article for i, article in enumerate(ready) if i not in existing]
        if new:
            contributions = []

            def count():  # while the database takes in the articles
                with self.gate.closed():
                    contributions.append(counts.contributions_from(map(described, new)))

            with self.gate.opened():  # mostly COPY, which the wrapper does not see
                ids = insert_new_articles(
                    new, batch_fk_checks=self.batch_fk_checks, meanwhile=count
                )
            self.new_counts.append((ids, contributions[0]))
            self.report.created += len(new)
            self.written += len(new)

    def update_existing(self, ready, existing):
        ids = [article.pk for article in existing.values()]
        topics, authors, linked = defaultdict(set), defaultdict(list), defaultdict(dict)
        pairs = ArticleTopic.objects.filter(article_id__in=ids).values_list(
            "article_id", "topic_id"
        )
        for article_id, topic_id in pairs:
            topics[article_id].add(topic_id)
        pairs = ArticleAuthor.objects.filter(article_id__in=ids).order_by("pk")
        for article_id, author_id in pairs.values_list("article_id", "author_id"):
            authors[article_id].append(author_id)
        rows = Mention.objects.filter(article_id__in=ids).values_list(
            "article_id", "politician_id", "role", "state"
        )
        for article_id, politician_id, role, state in rows:
            linked[article_id][politician_id] = (role, state)
        for position, stored in sorted(existing.items()):
            outcome = self.update(
                stored, ready[position], topics[stored.pk], authors[stored.pk], linked[stored.pk]
            )
            self.report.count(outcome)
            self.written += 1

    def update(self, article, prepared, have_topics, have_authors, have):
        """Bring one existing article in line with ``prepared``; "updated" or "unchanged".

        ``have_topics`` are its topic ids, ``have_authors`` its author ids (a byline in the
        record replaces them), ``have`` its mentions as {politician: (role, state)}.
        """
        record = prepared.record
        values = {
            "headline": record.headline,
            "body": record.body,
            "published_at": record.published_at,
            "source_id": prepared.source_id,
        }
        for name in ("standfirst", "byline", "url", "status"):
            if getattr(record, name) is not None:
                values[name] = getattr(record, name)
        changed = {k: v for k, v in values.items() if getattr(article, k) != v}
        new_topics = [pk for pk in prepared.topic_ids if pk not in have_topics]
        authors_changed = record.byline is not None and set(prepared.author_ids) != set(
            have_authors
        )
        given = [] if prepared.suggested else prepared.mentions
        mention_changes = [
            (pk, role) for pk, role in given if have.get(pk) != (role, Mention.State.CONFIRMED)
        ]
        if not (changed or new_topics or authors_changed or mention_changes):
            return "unchanged"
        for name, value in changed.items():
            setattr(article, name, value)
        if changed:
            article.save()
        article.topics.add(*new_topics)
        if authors_changed:
            article.authors.set(prepared.author_ids)
        for pk, role in mention_changes:
            mention = article.mentions.filter(politician_id=pk).first() or Mention(
                article=article, politician_id=pk
            )
            mention.role, mention.state = role, Mention.State.CONFIRMED
            mention.save()
        if prepared.suggested and changed.keys() & {"headline", "standfirst", "body"}:
            suggest_mentions(
                article, index=self.index, confirm_unambiguous=self.confirm_suggestions
            )
        return "updated"


_STATUS = ARTICLE_FIELDS.index("status")
_POLITICIAN, _STATE, _PARTY = (
    MENTION_FIELDS.index(f) for f in ("politician_id", "state", "party_id")
)


def described(article):
    """A new PreparedArticle as ``counts.contributions_from`` reads it."""
    return (
        article.record.published_on,  # the date in the archive's time zone
        article.fields[_STATUS],
        article.source_id,
        article.topic_ids,
        article.author_ids,
        [(row[_POLITICIAN], row[_STATE], row[_PARTY]) for row in article.mention_rows],
    )
