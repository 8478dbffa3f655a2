"""The article import in many batches, and its quicker steps, give what the plain ones give.

An import split into many batches, one of them refused by the database after its articles went
in, leaves the stored counts and the facet sample as a count from scratch finds them. The
quicker steps are checked against what they replace: slugs against ``slugify``, the cached day
bounds against working them out, JSON decoding against the json module, array literals against
what PostgreSQL reads back, and the collector settings against what they were.
"""

import datetime as dt
import gc
import json
import zoneinfo

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.text import slugify
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.backends.postgresql import _array
from articles.io.importers import articles as article_import
from articles.io.importers import new_articles
from articles.io.importers.articles import fewer_collections, import_articles
from articles.io.importers.bulk import insert_rows
from articles.io.importers.jsonl import decode
from articles.io.importers.prepared import day_bounds, slug_of
from articles.io.importers.read_ahead import Gate
from articles.models import Article, ArticleCount, Mention, Source
from tests.factories import MembershipFactory, PartyFactory, PoliticianFactory
from tests.test_article_counts import (  # noqa: F401  (fixtures)
    assert_counts_right,
    sample_every_other_article,
    world,
)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL statement"
)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


# Batches --------------------------------------------------------------------------------------


def many_batches(monkeypatch):
    monkeypatch.setattr(article_import, "FIRST_BATCH", 2)
    monkeypatch.setattr(article_import, "BATCH", 5)


def refuse_mentions_of(headline, monkeypatch):
    """The database refuses the mentions of the article ``headline``: its batch fails after its
    articles went in, and then that record alone."""
    insert_related = new_articles._insert_related

    def refusing(related):
        _topics, _authors, mentions, _ambiguous = related
        ids = {row[0] for row in mentions}
        if Article.objects.filter(pk__in=ids, headline=headline).exists():
            raise IntegrityError(f"the mentions of {headline!r} are refused")
        insert_related(related)

    monkeypatch.setattr(new_articles, "_insert_related", refusing)


def lines_for_batches():
    """Articles over several months and years: listed and suggested mentions (a party member,
    a politician with none), drafts, topics new and old, one article listed twice (the second
    line changes its date and topics, in a later batch), one existing article changed."""
    lines = []
    for i in range(23):
        line = {
            "headline": f"Batch story {i}",
            "body": "Lee Loyal and Sam Switch spoke." if i % 3 else "Pat Party spoke.",
            "published_at": f"201{i % 10}-{i % 12 + 1:02d}-15T10:00:00Z",
            "source": "Source 0" if i % 4 else "A new source",
            "topics": ["Topic 1", "A new topic"][: i % 3],
            "status": "draft" if i % 7 == 3 else "published",
            "url": f"https://example.org/batch/{i}",
        }
        if i % 2:
            line["mentions"] = [
                {"politician": "Pat Party", "role": "subject"},
                {"politician": "Nora Noparty", "role": "quoted"},
            ]
        lines.append(line)
    lines[11]["headline"] = "Refused"
    again = dict(lines[2], published_at="2020-02-02T10:00:00Z", topics=["Topic 2"])
    lines.append(again)
    # Story 0 of the world (no URL): found by source, headline and day, given a topic.
    lines.append(
        {
            "headline": "Story 0",
            "body": "Changed.",
            "published_at": "2016-06-28T12:00:00+01:00",
            "source": "Source 0",
            "topics": ["Topic 2"],
        }
    )
    return lines


@pytest.mark.django_db
@pytest.mark.parametrize("confirm", [False, True])
def test_counts_after_an_import_in_many_batches_with_one_refused(
    world,  # noqa: F811  (the fixture of tests.test_article_counts)
    tmp_path,
    monkeypatch,
    confirm,
):
    pat = PoliticianFactory(name="Pat Party", slug="pat-party")
    MembershipFactory(politician=pat, party=PartyFactory(name="Green"), start_date=None)
    PoliticianFactory(name="Nora Noparty", slug="nora-noparty")
    many_batches(monkeypatch)
    refuse_mentions_of("Refused", monkeypatch)
    path = write_jsonl(tmp_path / "batches.jsonl", lines_for_batches())

    report = import_articles([path], confirm_suggestions=confirm)

    assert [(e.line, e.reason) for e in report.errors] == [
        (12, "rejected by the database: the mentions of 'Refused' are refused")
    ]
    assert (report.created, report.updated, report.failed) == (22, 2, 1)
    assert not Article.objects.filter(headline="Refused").exists()
    moved = Article.objects.get(url="https://example.org/batch/2")
    assert moved.published_at == dt.datetime(2020, 2, 2, 10, tzinfo=dt.UTC)
    assert ArticleCount.objects.exists()
    assert_counts_right()

    # The same file again: the line listed twice is changed back and forth (in two batches,
    # each committed with its counts), and the counts end as they were. (A row the first batch
    # raised and the second lowered back stays, at 0: readers never show those.)
    def counts():
        return sorted(
            ArticleCount.objects.filter(n__gt=0).values_list(
                "dimension", "key", "year", "month", "n"
            )
        )

    before = counts()
    report = import_articles([path], confirm_suggestions=confirm)
    assert (report.created, report.updated, report.failed) == (0, 2, 1)
    assert counts() == before
    assert_counts_right()


@pytest.mark.django_db
def test_many_batches_write_what_one_batch_writes(world, tmp_path, monkeypatch):  # noqa: F811
    PoliticianFactory(name="Pat Party", slug="pat-party")
    PoliticianFactory(name="Nora Noparty", slug="nora-noparty")
    path = write_jsonl(tmp_path / "batches.jsonl", lines_for_batches())

    def written():
        articles = Article.objects.order_by("url", "headline")
        return (
            list(articles.values_list("headline", "url", "published_at", "status", "source__name")),
            sorted(Mention.objects.values_list("article__headline", "politician__slug", "state")),
            sorted(Article.topics.through.objects.values_list("article__headline", "topic__name")),
        )

    import_articles([path])
    in_one = written()
    Article.objects.filter(headline__startswith="Batch").delete()
    Article.objects.filter(headline="Refused").delete()
    Source.objects.filter(name="A new source").delete()
    many_batches(monkeypatch)
    import_articles([path])

    assert written() == in_one
    assert_counts_right()


@pytest.mark.django_db
def test_batches_shrink_when_writing_one_holds_the_writers_lock_too_long(
    world,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # Every batch "takes too long" (no time is short enough): the next ones shrink to the least.
    monkeypatch.setattr(article_import, "FIRST_BATCH", 8)
    monkeypatch.setattr(article_import, "BATCH", 8)
    monkeypatch.setattr(article_import, "MIN_BATCH", 3)
    monkeypatch.setattr(article_import, "LOCK_SECONDS", -1.0)
    sizes = []
    attempt = article_import._ArticleImport.attempt

    def recording(self, batch):
        sizes.append(len(batch))
        return attempt(self, batch)

    monkeypatch.setattr(article_import._ArticleImport, "attempt", recording)
    records = [
        {
            "headline": f"Slow batch {i}",
            "body": "Text.",
            "source": "Slow Times",
            "published_at": "2016-06-28T10:00:00",
        }
        for i in range(20)
    ]
    report = import_articles([write_jsonl(tmp_path / "slow.jsonl", records)])

    assert report.created == 20
    assert sizes == [8, 3, 3, 3, 3]
    assert_counts_right()


def test_the_next_batch_grows_while_quick_and_shrinks_to_fit_the_lock_time():
    assert article_import.next_batch_size(100, 0.1) == 200
    assert article_import.next_batch_size(800, 0.1) == article_import.BATCH
    assert article_import.next_batch_size(1000, 2.0) == 250
    assert article_import.next_batch_size(1000, 60.0) == article_import.MIN_BATCH


# Quicker steps --------------------------------------------------------------------------------

HEADLINE_TEXT = st.lists(
    st.sampled_from(
        list("Aaz09 -_'’.,!?:\t\n\x0b\x1c\x1f\u00a0\u3000")
        + ["é", "ß", "İ", "ﬁ", "Å", "e\u0301", "日本", "½", "①", "\u200b", "--", "  "]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(HEADLINE_TEXT)
def test_slugs_are_djangos(headline):
    assert slug_of(headline) == slugify(headline)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe"])
def test_day_bounds_are_the_days_worked_out_each_time(zone):
    zone = zoneinfo.ZoneInfo(zone)
    day = dt.date(2016, 1, 1)
    while day < dt.date(2017, 1, 1):  # two changes of the clocks in each zone
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)
        end = timezone.make_aware(
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), zone
        )
        assert day_bounds(day, zone) == (start, end, (start.isoformat(), end.isoformat()))
        assert day_bounds(day, zone)[2] == (start.isoformat(), end.isoformat())  # cached
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    [
        '{"n": 18446744073709551616}',
        '{"a": [1, {"b": [-9223372036854775809]}]}',
        "[[[[123456789012345678901234567890]]]]",
        '{"x": 1.5, "y": 18446744073709551615}',
        '{"headline": 12345678901234567890123, "body": "ok"}',
        '{"n": 18446744073709551615, "m": -9223372036854775808}',
        '{"s": "1234567890123456789012345"}',
    ],
)
def test_integers_past_64_bits_decode_as_the_json_module_does(text):
    assert repr(decode(text)) == repr(json.loads(text))


@postgresql_only
@pytest.mark.django_db
def test_array_literals_read_back_as_written():
    texts = ["all", 'quote " in', "back \\ slash", "comma, {brace}", "NULL", "", " spaced "]
    numbers = [0, 1, -2, 9223372036854775807, -9223372036854775808]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[]", [_array(texts, text=True), _array(numbers)]
        )
        assert cursor.fetchone() == (texts, numbers)


def test_fewer_collections_puts_the_collector_back():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with fewer_collections():
        assert gc.get_threshold()[0] >= thresholds[0]
        assert gc.get_freeze_count() >= frozen
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [[], [("Topic", "topic")]])
def test_insert_rows_does_its_meanwhile_work_once(rows):
    from articles.models import Topic

    calls = []
    result = insert_rows(Topic, ["name", "slug"], rows, meanwhile=lambda: calls.append(1) or 7)

    assert (result, calls) == (7, [1])
    assert Topic.objects.count() == len(rows)


def test_a_closed_gate_is_as_before_after_the_block():
    gate = Gate()
    with gate.opened():
        with gate.closed():
            assert not gate._open.is_set()
        assert gate._open.is_set()
    with gate.closed():
        assert not gate._open.is_set()
    assert not gate._open.is_set()
