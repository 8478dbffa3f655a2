"""Import articles from ``.txt`` files (seed format) and ``.jsonl`` files (one article a line).

Articles are matched by URL, else by source, headline and local date, so a second run of the
same files changes nothing. New articles are written in batches (bulk inserts, one savepoint
per batch; when a batch is refused the records are retried one by one to find the bad one).
Articles that list ``mentions`` get them confirmed; the others get suggestions from the names
in their text, found with one name index built for the whole import.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from ..models import (
    AmbiguousName,
    Article,
    ArticleTopic,
    Mention,
    OtherName,
    PartyMembership,
    Politician,
    Source,
    Topic,
)
from ..services.suggestions import NameIndex, find_names, suggest_mentions
from .bulk import allocate_ids, insert_rows
from .dates import parse_published_at
from .files import FileProblem
from .jsonl import read_jsonl
from .records import ArticleRecord
from .report import ImportReport, RecordError
from .text import read_text_article

BATCH = 1000
PROGRESS_EVERY = 1000
ARTICLE_COLUMNS = [
    "id",
    "headline",
    "slug",
    "standfirst",
    "body",
    "published_at",
    "source_id",
    "byline",
    "url",
    "status",
    "created_at",
    "updated_at",
]
MENTION_COLUMNS = ["article_id", "politician_id", "role", "state", "published_on", "party_id"]


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
    importer = _ArticleImport(report, confirm_suggestions, progress)
    with transaction.atomic():
        for path in paths:
            importer.import_file(path, source=source, published_at=published_at, url=url)
        importer.flush()
        if atomic and report.failed:
            transaction.set_rollback(True)
            report.rolled_back = True
    return report


def _day_bounds(on):
    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    return start, end


class _ArticleImport:
    def __init__(self, report, confirm_suggestions, progress):
        self.report = report
        self.progress = progress
        self.suggested_state = (
            Mention.State.CONFIRMED if confirm_suggestions else Mention.State.SUGGESTED
        )
        self.confirm_suggestions = confirm_suggestions
        self.batch, self.batch_keys = [], set()
        self.done = 0
        self.sources = dict(Source.objects.values_list("name", "id"))
        self.topics = dict(Topic.objects.values_list("name", "id"))
        self._people = None
        self._index = None
        self._memberships = None

    # reading ---------------------------------------------------------------------------------

    def import_file(self, path, *, source, published_at, url):
        file = str(path)
        suffix = Path(file).suffix.lower()
        try:
            if suffix == ".jsonl":
                for item in read_jsonl(path, source=source, published_at=published_at):
                    if isinstance(item, ArticleRecord):
                        self.add(item)
                    else:
                        self.fail(file, item.line, item.reason)
            elif suffix == ".txt":
                self.add(read_text_article(path, source=source, published_at=published_at, url=url))
            else:
                raise FileProblem("unknown kind of file (expected .txt or .jsonl)")
        except FileProblem as problem:
            self.fail(file, problem.line, problem.reason)
        except RecordError as error:
            self.fail(file, 1, error.reason)

    def fail(self, file, line, reason):
        self.report.error(file, line, reason)
        self.tick()

    def tick(self, n=1):
        for _ in range(n):
            self.done += 1
            if self.progress and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)

    def add(self, record):
        keys = {record.key} | ({record.url} if record.url else set())
        if keys & self.batch_keys:  # the same article twice: the second must see the first
            self.flush()
        self.batch.append(record)
        self.batch_keys |= keys
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self):
        batch, self.batch, self.batch_keys = self.batch, [], set()
        if batch:
            try:
                self.attempt(batch)
            except DatabaseError:
                for record in batch:  # find the record the database refused
                    try:
                        self.attempt([record])
                    except DatabaseError as error:
                        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
                        self.fail(record.file, record.line, f"rejected by the database: {reason}")

    def attempt(self, batch):
        """Write ``batch`` in a savepoint; if the database refuses it, undo its counts too."""
        report = self.report
        saved = (report.created, report.updated, report.unchanged, report.failed)
        errors, done = len(report.errors), self.done
        try:
            with transaction.atomic():
                self.write(batch)
        except DatabaseError:
            report.created, report.updated, report.unchanged, report.failed = saved
            del report.errors[errors:]
            self.done = done
            # Sources and topics created in the undone savepoint are gone again.
            self.sources = dict(Source.objects.values_list("name", "id"))
            self.topics = dict(Topic.objects.values_list("name", "id"))
            raise

    # lookups ---------------------------------------------------------------------------------

    @property
    def index(self):
        if self._index is None:
            self._index = NameIndex.build()
        return self._index

    def politician_id(self, reference):
        if self._people is None:
            by_id = dict(Politician.objects.exclude(popolo_id=None).values_list("popolo_id", "id"))
            by_name = {}
            for pk, name in Politician.objects.values_list("id", "name"):
                by_name.setdefault(name.casefold(), set()).add(pk)
            for pk, name in OtherName.objects.values_list("politician_id", "name"):
                by_name.setdefault(name.casefold(), set()).add(pk)
            self._people = (by_id, by_name)
        by_id, by_name = self._people
        if reference in by_id:
            return by_id[reference]
        ids = by_name.get(reference.casefold(), set())
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            raise RecordError(f"the name {reference!r} fits several politicians; use a Popolo id")
        raise RecordError(f"unknown politician {reference!r}")

    def party_on(self, politician_id, on):
        """``Politician.party_on`` from memberships read once per import (same precedence)."""
        if self._memberships is None:
            self._memberships = defaultdict(list)
            rows = PartyMembership.objects.values_list(
                "politician_id", "start_date", "end_date", "party_id", "id"
            )
            for politician, start, end, party, pk in rows:
                self._memberships[politician].append((start, end, party, pk))
            for spans in self._memberships.values():
                # The membership begun last wins (empty start last), then the newest row.
                spans.sort(key=lambda s: (s[0] is not None, s[0] or on.min, s[3]), reverse=True)
        for start, end, party, _ in self._memberships.get(politician_id, ()):
            if (start is None or start <= on) and (end is None or on <= end):
                return party
        return None

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

    # writing ---------------------------------------------------------------------------------

    def write(self, batch):
        ready = []
        for record in batch:
            mentions = {}
            try:
                for reference, role in record.mentions or ():
                    mentions.setdefault(self.politician_id(reference), role)
            except RecordError as error:
                self.fail(record.file, record.line, error.reason)
                continue
            ready.append((record, list(mentions.items())))
        if not ready:
            return
        for record, _ in ready:
            record.source_id = self.source_id(record.source)
            record.topic_ids = self.topic_ids(record.topics)
        existing = self.match([record for record, _ in ready])
        ids = [article.pk for article in existing.values()]
        topics, linked = defaultdict(set), defaultdict(dict)
        if ids:
            pairs = ArticleTopic.objects.filter(article_id__in=ids).values_list(
                "article_id", "topic_id"
            )
            for article_id, topic_id in pairs:
                topics[article_id].add(topic_id)
            rows = Mention.objects.filter(article_id__in=ids).values_list(
                "article_id", "politician_id", "role", "state"
            )
            for article_id, politician_id, role, state in rows:
                linked[article_id][politician_id] = (role, state)
        new = []
        for position, (record, mentions) in enumerate(ready):
            article = existing.get(position)
            if article is None:
                new.append((record, mentions))
            else:
                outcome = self.update(
                    article, record, mentions, topics[article.pk], linked[article.pk]
                )
                self.report.count(outcome)
                self.tick()
        if new:
            self.create(new)

    def match(self, records):
        """Existing articles for ``records``, by position: by URL, else source+headline+date."""
        found = {}
        urls = {r.url: i for i, r in enumerate(records) if r.url}
        if urls:
            for article in Article.objects.defer("search_vector").filter(url__in=list(urls)):
                found[urls[article.url]] = article
        rest = [(i, r) for i, r in enumerate(records) if i not in found]
        if not rest:
            return found
        ops = connection.ops
        rows, params = [], []
        for i, record in rest:
            start, end = _day_bounds(record.published_on)
            rows.append("(%s, %s, %s, %s, %s)")
            params += [
                i,
                record.source_id,
                record.headline,
                ops.adapt_datetimefield_value(start),
                ops.adapt_datetimefield_value(end),
            ]
        sql = (
            f"SELECT v.column1, a.id FROM {Article._meta.db_table} a "
            f"JOIN (VALUES {', '.join(rows)}) v ON a.source_id = v.column2 "
            "AND a.headline = v.column3 AND a.published_at >= v.column4 "
            "AND a.published_at < v.column5"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            pairs = cursor.fetchall()
        if pairs:
            articles = Article.objects.defer("search_vector").in_bulk([pk for _, pk in pairs])
            for i, pk in sorted(pairs, key=lambda pair: pair[1]):
                article = articles[pk]
                record = records[i]
                # An article with another URL is another article, whatever its headline.
                if record.url and article.url and article.url != record.url:
                    continue
                found.setdefault(i, article)
        return found

    def update(self, article, record, mentions, have_topics, have):
        """Bring one existing article in line with ``record``; "updated" or "unchanged".

        ``have_topics`` are its topic ids, ``have`` its mentions as {politician: (role, state)}.
        """
        values = {
            "headline": record.headline,
            "body": record.body,
            "published_at": record.published_at,
            "source_id": record.source_id,
        }
        for name in ("standfirst", "byline", "url", "status"):
            if getattr(record, name) is not None:
                values[name] = getattr(record, name)
        changed = {k: v for k, v in values.items() if getattr(article, k) != v}
        new_topics = [pk for pk in record.topic_ids if pk not in have_topics]
        mention_changes = [
            (pk, role) for pk, role in mentions if have.get(pk) != (role, Mention.State.CONFIRMED)
        ]
        if not (changed or new_topics or mention_changes):
            return "unchanged"
        for name, value in changed.items():
            setattr(article, name, value)
        if changed:
            article.save()
        article.topics.add(*new_topics)
        for pk, role in mention_changes:
            mention = article.mentions.filter(politician_id=pk).first() or Mention(
                article=article, politician_id=pk
            )
            mention.role, mention.state = role, Mention.State.CONFIRMED
            mention.save()
        if record.mentions is None and changed.keys() & {"headline", "standfirst", "body"}:
            suggest_mentions(
                article, index=self.index, confirm_unambiguous=self.confirm_suggestions
            )
        return "updated"

    def slugs(self, records):
        """A free slug for each record: the headline's, or with a short suffix when taken."""
        bases = [(slugify(r.headline)[:240].strip("-") or "article") for r in records]
        wanted = bases
        taken = set()
        for attempt in range(5):
            taken |= set(
                Article.objects.filter(slug__in=set(wanted)).values_list("slug", flat=True)
            )
            result, used, clashes = [], set(), False
            for i, (record, slug) in enumerate(zip(records, wanted, strict=True)):
                if slug in taken or slug in used:
                    digest = hashlib.sha1(
                        f"{record.url}|{record.key}|{record.line}|{attempt}".encode()
                    ).hexdigest()[:6]
                    slug = f"{bases[i]}-{digest}"
                    clashes = True
                used.add(slug)
                result.append(slug)
            if not clashes:
                return result
            wanted = result
        return wanted

    def create(self, new):
        records = [record for record, _ in new]
        ids = allocate_ids(Article, len(records))
        now = timezone.now()
        articles = [
            (
                pk,
                r.headline,
                slug,
                r.standfirst or "",
                r.body,
                r.published_at,
                r.source_id,
                r.byline or "",
                r.url,
                r.status or Article.Status.PUBLISHED,
                now,
                now,
            )
            for pk, r, slug in zip(ids, records, self.slugs(records), strict=True)
        ]
        insert_rows(Article, ARTICLE_COLUMNS, articles)
        topic_rows, mention_rows, ambiguous = [], [], []
        party_on = self.party_on
        for pk, (record, mentions) in zip(ids, new, strict=True):
            on = record.published_on
            topic_rows += [(pk, topic_id) for topic_id in record.topic_ids]
            if record.mentions is not None:
                found = mentions
            else:
                matches = find_names(record.text(), self.index)
                found = [(p, Mention.Role.MENTIONED) for p in sorted(matches.found)]
                for name, candidates in matches.ambiguous.items():
                    if not candidates & matches.found:
                        ambiguous.append((pk, name[:200], sorted(candidates)))
            state = Mention.State.CONFIRMED if record.mentions is not None else self.suggested_state
            mention_rows += [
                (pk, politician, role, state, on, party_on(politician, on))
                for politician, role in found
            ]
        insert_rows(ArticleTopic, ["article_id", "topic_id"], topic_rows)
        insert_rows(Mention, MENTION_COLUMNS, mention_rows)
        if ambiguous:
            names = allocate_ids(AmbiguousName, len(ambiguous))
            insert_rows(
                AmbiguousName,
                ["id", "article_id", "name"],
                [
                    (pk, article, name)
                    for pk, (article, name, _) in zip(names, ambiguous, strict=True)
                ],
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
        self.report.created += len(articles)
        self.tick(len(articles))
