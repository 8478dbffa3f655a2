"""A synthetic archive for benchmarks: invented people, parties and articles at any scale.

Mentions are skewed the way real coverage is (a Zipf-like curve: a few politicians appear in a
large share of articles, most rarely), dates spread over the chosen years, and some politicians
change party. Each mention's denormalised ``party`` and ``published_on`` are computed here from
the generated memberships, so no large UPDATE is needed afterwards. The same seed gives the same
archive. On PostgreSQL rows go in with COPY; elsewhere with ``bulk_create``.
"""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import derived
from articles.backends import backend
from articles.derived.parties import PartyHistory
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleTopic,
    Author,
    Mention,
    Party,
    PartyMembership,
    Politician,
    Role,
    Source,
    Topic,
)

from .bulk import with_defaults
from .search_vectors import SEARCH_TRIGGER, SearchVectors
from .synthetic_words import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    NOUNS,
    PARTY_WORDS,
    TOPIC_WORDS,
    VERBS,
    VERDICTS,
    WORDS,
    split_words,
)

CHUNK = 20_000


@dataclass
class ArchiveSpec:
    articles: int
    seed: int = 1
    politicians: int = 5000
    parties: int = 40
    topics: int = 100
    sources: int = 50
    authors: int = 300
    years: int = 25
    end_year: int = 2025


@dataclass
class ArchiveCounts:
    articles: int = 0
    mentions: int = 0
    article_topics: int = 0
    article_authors: int = 0
    politicians: int = 0
    parties: int = 0
    memberships: int = 0
    roles: int = 0
    topics: int = 0
    sources: int = 0
    authors: int = 0

    def __str__(self):
        return (
            f"{self.articles:,} articles, {self.mentions:,} mentions, "
            f"{self.article_topics:,} article topics, {self.article_authors:,} article authors, "
            f"{self.politicians:,} politicians, {self.parties:,} parties, "
            f"{self.memberships:,} memberships, {self.roles:,} roles, "
            f"{self.topics:,} topics, {self.sources:,} sources, {self.authors:,} authors"
        )


def zipf_cum_weights(n, exponent=1.0):
    """Cumulative weights of ranks 1..n under a Zipf curve (rank r has weight 1/r**exponent)."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


def _unique(candidates, taken):
    """The first of ``candidates`` (an endless iterator) not in ``taken``; adds it."""
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError("no candidates left")


def _numbered(base):
    yield base
    n = 2
    while True:
        yield f"{base} {n}"
        n += 1


def _slugs(base):
    yield base
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1


class _Generator:
    def __init__(self, spec, progress=None):
        self.spec = spec
        self.rng = random.Random(spec.seed)
        # Bylines draw from their own stream: the rest of an archive does not depend on them.
        self.bylines = random.Random(spec.seed + 1)
        self.progress = progress
        self.counts = ArchiveCounts()
        self.start = dt.date(spec.end_year - spec.years + 1, 1, 1)
        self.end = dt.date(spec.end_year, 12, 31)
        self.now = timezone.now()
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.backend = backend()
        self.vectors = None

    # people, parties, topics, sources ------------------------------------------------------

    def make_parties(self):
        rng, taken = self.rng, set(Party.objects.values_list("name", flat=True))
        slugs = set(Party.objects.values_list("slug", flat=True))
        parties = []
        for _ in range(self.spec.parties):
            first, second = rng.sample(PARTY_WORDS[:16], 1)[0], rng.choice(PARTY_WORDS[16:])
            name = _unique(_numbered(f"{first} {second}"), taken)
            parties.append(
                Party(
                    name=name,
                    short_name="".join(w[0] for w in name.split() if w[0].isalpha())[:5],
                    slug=_unique(_slugs(slugify(name)), slugs),
                    colour=f"#{rng.randrange(0x1000000):06X}",
                    founding_date=dt.date(rng.randrange(1850, 2000), 1, 1),
                )
            )
        Party.objects.bulk_create(parties)
        self.counts.parties = len(parties)
        return list(Party.objects.filter(name__in=[p.name for p in parties]).order_by("id"))

    def make_people(self, parties):
        rng, spec = self.rng, self.spec
        slugs = set(Politician.objects.values_list("slug", flat=True))
        people = []
        # Distinct full names while they last: namesakes are rare, shared family names common.
        combinations = [(g, f) for f in FAMILY_NAMES for g in GIVEN_NAMES]
        rng.shuffle(combinations)
        for i in range(spec.politicians):
            given, family = combinations[i % len(combinations)]
            name = f"{given} {family}"
            people.append(
                Politician(
                    name=name,
                    given_name=given,
                    family_name=family,
                    sort_name=f"{family}, {given}",
                    slug=_unique(_slugs(slugify(name)), slugs),
                    birth_date=dt.date(rng.randrange(1930, 1995), rng.randrange(1, 13), 1),
                )
            )
        Politician.objects.bulk_create(people, batch_size=2000)
        by_slug = dict(
            Politician.objects.filter(slug__in=[p.slug for p in people]).values_list("slug", "id")
        )
        ids = [by_slug[p.slug] for p in people]
        self.counts.politicians = len(ids)

        party_weights = zipf_cum_weights(len(parties), 1.2)
        span = (self.end - self.start).days
        memberships, roles, party_spans = [], [], {}
        for pk in ids:
            spans = []
            kind = rng.random()
            if kind < 0.04:  # never in a party
                party_spans[pk] = spans
                continue
            start = self.start - dt.timedelta(days=rng.randrange(0, 15 * 365))
            first = rng.choices(parties, cum_weights=party_weights)[0]
            if kind < 0.16:  # a party switcher
                switch = self.start + dt.timedelta(days=rng.randrange(365, span - 365))
                second = rng.choice([p for p in parties[:10] if p.pk != first.pk])
                spans.append((start, switch - dt.timedelta(days=1), first.pk))
                gap = dt.timedelta(days=rng.choice([0, 0, 0, 90, 400]))
                spans.append((switch + gap, None, second.pk))
            elif kind < 0.26:  # left politics, no party afterwards
                end = self.start + dt.timedelta(days=rng.randrange(0, span))
                spans.append((start, end, first.pk))
            else:
                spans.append((start, None, first.pk))
            for s, e, party_id in spans:
                memberships.append(
                    PartyMembership(politician_id=pk, party_id=party_id, start_date=s, end_date=e)
                )
            party_spans[pk] = spans
            if rng.random() < 0.08:
                held = self.start + dt.timedelta(days=rng.randrange(0, span - 400))
                roles.append(
                    Role(
                        politician_id=pk,
                        title=f"Minister for {rng.choice(TOPIC_WORDS)}",
                        organisation="HM Government",
                        start_date=held,
                        end_date=held + dt.timedelta(days=rng.randrange(100, 1500)),
                    )
                )
        PartyMembership.objects.bulk_create(memberships, batch_size=2000)
        Role.objects.bulk_create(roles, batch_size=2000)
        self.counts.memberships, self.counts.roles = len(memberships), len(roles)
        history = PartyHistory(
            (pk, start, end, party, n)
            for n, (pk, (start, end, party)) in enumerate(
                (pk, span) for pk, spans in party_spans.items() for span in spans
            )
        )
        return ids, history

    def make_named(self, model, count, names):
        taken = set(model.objects.values_list("name", flat=True))
        slugs = set(model.objects.values_list("slug", flat=True))
        rows = []
        for i in range(count):
            name = _unique(_numbered(names[i % len(names)]), taken)
            row = model(name=name, slug=_unique(_slugs(slugify(name)), slugs))
            if model is Source:
                row.homepage = f"https://{row.slug}.example.org/"
            rows.append(row)
        model.objects.bulk_create(rows)
        return list(
            model.objects.filter(name__in=[r.name for r in rows])
            .order_by("id")
            .values_list("id", "name", "slug")
        )

    # articles --------------------------------------------------------------------------------

    def sentence_pool(self, size=4000):
        rng = self.rng
        weights = zipf_cum_weights(len(WORDS), 1.05)
        pool = []
        for _ in range(size):
            words = rng.choices(WORDS, cum_weights=weights, k=rng.randrange(8, 18))
            pool.append(" ".join(words).capitalize() + ".")
        return pool

    def author_names(self):
        """Names for the archive's authors (journalists are not politicians: other pairs)."""
        rng = self.bylines
        return [f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}" for _ in range(400)]

    def byline(self, authors, weights):
        """(byline, author ids) of one article: one author mostly, up to three."""
        rng = self.bylines
        k = rng.choices((1, 2, 3), weights=(14, 5, 1))[0]
        chosen = list({a[0]: a for a in rng.choices(authors, cum_weights=weights, k=k)}.values())
        names = [a[1] for a in chosen]
        text = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"By {text}", [a[0] for a in chosen]

    def articles(self, people, parties, topics, sources, authors):
        rng, spec = self.rng, self.spec
        names = dict(Politician.objects.filter(pk__in=people).values_list("id", "name"))
        family = dict(Politician.objects.filter(pk__in=people).values_list("id", "family_name"))
        ranked = people[:]
        rng.shuffle(ranked)  # rank 1 = the most-mentioned politician
        person_weights = zipf_cum_weights(len(ranked), 1.0)
        topic_weights = zipf_cum_weights(len(topics), 0.9)
        source_weights = zipf_cum_weights(len(sources), 0.8)
        author_weights = zipf_cum_weights(len(authors), 0.7)
        pool = self.sentence_pool()
        first_day = dt.datetime.combine(self.start, dt.time.min, tzinfo=self.zone)
        seconds = int((self.end - self.start).days * 86400 + 86399)
        roles_by_place = ["subject", "quoted", "mentioned", "mentioned"]

        next_article = (
            Article.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        next_mention = (
            Mention.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        next_topic_row = (
            ArticleTopic.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        next_author_row = (
            ArticleAuthor.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        made = 0
        while made < spec.articles:
            batch = min(CHUNK, spec.articles - made)
            articles, mentions, article_topics, article_authors = [], [], [], []
            for _ in range(batch):
                pk = next_article
                next_article += 1
                local = first_day + dt.timedelta(seconds=rng.randrange(seconds))
                published_at = local.astimezone(dt.UTC)
                on = local.date()
                source_id, _, source_slug = rng.choices(sources, cum_weights=source_weights)[0]
                k = rng.choices((2, 3, 4), weights=(3, 4, 3))[0]
                chosen = []
                for candidate in rng.choices(ranked, cum_weights=person_weights, k=k + 3):
                    if candidate not in chosen:
                        chosen.append(candidate)
                        if len(chosen) == k:
                            break
                topic_rows = {
                    t[0]: t
                    for t in rng.choices(topics, cum_weights=topic_weights, k=rng.randrange(1, 4))
                }
                topic_name = next(iter(topic_rows.values()))[1].lower()
                subject = chosen[0]
                headline = f"{family[subject]} {rng.choice(VERBS)} {topic_name} {rng.choice(NOUNS)}"
                paragraphs, parts = [], []
                for place, person in enumerate(chosen):
                    lead = (
                        f"{names[person]} said on {on:%A} that the {topic_name} "
                        f"{rng.choice(NOUNS)} was {rng.choice(VERDICTS)}."
                        if place == 0
                        else f"{names[person]} {rng.choice(VERBS)} the {rng.choice(NOUNS)}."
                    )
                    filler = rng.sample(pool, 2)
                    paragraphs.append(" ".join([lead, *filler]))
                    parts += [(lead, False), (filler[0], True), (filler[1], True)]
                body = "\n\n".join(paragraphs)
                slug = f"{slugify(headline)[:200]}-{pk:x}"
                byline, author_ids = self.byline(authors, author_weights)
                articles.append(
                    (
                        pk,
                        headline,
                        slug,
                        "",
                        body,
                        published_at,
                        source_id,
                        byline,
                        f"https://{source_slug}.example.org/{on.year}/{pk}",
                        "published",
                        self.now,
                        self.now,
                        *((self.vectors.vector(headline, parts),) if self.vectors else ()),
                    )
                )
                for place, person in enumerate(chosen):
                    mentions.append(
                        (
                            next_mention,
                            pk,
                            person,
                            roles_by_place[place],
                            "confirmed",
                            on,
                            parties.party_on(person, on),
                        )
                    )
                    next_mention += 1
                for topic_id in topic_rows:
                    article_topics.append((next_topic_row, pk, topic_id))
                    next_topic_row += 1
                for author_id in author_ids:
                    article_authors.append((next_author_row, pk, author_id))
                    next_author_row += 1
            self.write(articles, mentions, article_topics, article_authors)
            made += batch
            self.counts.articles += len(articles)
            self.counts.mentions += len(mentions)
            self.counts.article_topics += len(article_topics)
            self.counts.article_authors += len(article_authors)
            if self.progress:
                self.progress(made)

    # writing ---------------------------------------------------------------------------------

    ARTICLE_COLUMNS = split_words(
        "id headline slug standfirst body published_at source_id byline url status "
        "created_at updated_at"
    )
    MENTION_COLUMNS = split_words("id article_id politician_id role state published_on party_id")
    TOPIC_COLUMNS = split_words("id article_id topic_id")
    AUTHOR_COLUMNS = split_words("id article_id author_id")

    def write(self, articles, mentions, article_topics, article_authors):
        article_columns = self.ARTICLE_COLUMNS + (["search_vector"] if self.vectors else [])
        tables = [
            (model, *with_defaults(model, columns, rows))
            for model, columns, rows in (
                (Article, article_columns, articles),
                (Mention, self.MENTION_COLUMNS, mentions),
                (ArticleTopic, self.TOPIC_COLUMNS, article_topics),
                (ArticleAuthor, self.AUTHOR_COLUMNS, article_authors),
            )
        ]
        if self.backend.bulk_loads:
            for model, columns, rows in tables:
                self.backend.copy_text_rows(model, columns, rows)
        else:
            for model, columns, rows in tables:
                model.objects.bulk_create(
                    [model(**dict(zip(columns, row, strict=True))) for row in rows],
                    batch_size=500,
                )


def generate_archive(spec: ArchiveSpec, *, progress=None) -> ArchiveCounts:
    """Generate ``spec.articles`` articles with new politicians, parties, topics, sources and
    authors.

    The caller decides whether the database may already hold articles. On PostgreSQL, when
    the article tables are empty, their secondary indexes are dropped during the load and
    rebuilt at the end (much faster than maintaining them row by row); all in one transaction.
    """
    generator = _Generator(spec, progress)
    # The mentions are written with their copies of date and party (by the rule of
    # ``PartyHistory``); the counts and the sample are rebuilt from scratch at the end.
    with derived.loading():
        _generate(generator)
    return generator.counts


def _generate(generator):
    spec = generator.spec
    tables = [m._meta.db_table for m in (Article, Mention, ArticleTopic, ArticleAuthor)]
    with transaction.atomic():
        parties = generator.make_parties()
        people, history = generator.make_people(parties)
        topics = generator.make_named(Topic, spec.topics, TOPIC_WORDS)
        sources = generator.make_named(
            Source,
            spec.sources,
            [
                f"The {w} {k}"
                for k in ("Herald", "Gazette", "Post", "Chronicle", "Courier")
                for w in (
                    "Northern",
                    "Daily",
                    "Evening",
                    "Weekly",
                    "Western",
                    "Sunday",
                    "Morning",
                    "City",
                    "County",
                    "National",
                )
            ],
        )
        authors = generator.make_named(Author, spec.authors, generator.author_names())
        generator.counts.topics, generator.counts.sources = len(topics), len(sources)
        generator.counts.authors = len(authors)
        ddl = []
        loads = generator.backend.bulk_loads
        if loads:
            generator.backend.constraints_immediate()
        if loads and not Article.objects.exists():
            ddl = generator.backend.bulk_load_ddl(tables)
            with connection.cursor() as cursor:
                for drop, _ in ddl:
                    cursor.execute(drop)
        if loads and SearchVectors.usable():
            generator.vectors = SearchVectors()
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {tables[0]} DISABLE TRIGGER {SEARCH_TRIGGER}")
        generator.articles(people, history, topics, sources, authors)
        if generator.vectors:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {tables[0]} ENABLE TRIGGER {SEARCH_TRIGGER}")
            SearchVectors.check()
        if ddl:
            with connection.cursor() as cursor:
                for _, create in ddl:
                    cursor.execute(create)
        generator.backend.reset_sequences([Article, Mention, ArticleTopic, ArticleAuthor])
    generator.backend.analyze(Article, Mention, ArticleTopic, ArticleAuthor)
