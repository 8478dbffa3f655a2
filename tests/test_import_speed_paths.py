"""The fast paths of the article import give the answers of the plain ones.

Each shortcut taken for speed is checked against what it replaces: the cached URL check against
Django's URLValidator, orjson against the json module, the ASCII word pattern against the
Unicode one, set-based foreign-key checks against the database's own, and the stored search
vectors against what the trigger computes.
"""

import json
import string
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.derived.parties import party_of
from articles.io.importers.articles import import_articles
from articles.io.importers.bulk import can_skip_row_triggers, lock_referenced, row_triggers_off
from articles.io.importers.jsonl import decode
from articles.io.importers.new_articles import RELATED_MODELS, insert_new_articles
from articles.io.importers.prepared import PreparedArticle
from articles.io.importers.read_ahead import read_ahead
from articles.io.importers.records import ArticleRecord, check_url
from articles.models import AmbiguousName, Article, Mention, Politician, Source
from articles.suggestions import (
    ASCII_WORD_OR_SEPARATOR,
    WORD,
    WORD_OR_SEPARATOR,
    NameIndex,
    find_names,
)
from tests.factories import ArticleFactory, MembershipFactory, PoliticianFactory, SourceFactory, on

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL bulk path"
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


# Reading ------------------------------------------------------------------------------------

URL_PARTS = st.sampled_from(
    [
        "http", "https", "ftp", "HTTP", "://", ":", "/", "//", "?", "#", "@", "[", "]", "::1",
        "example.org", "EXAMPLE.org", "a", "-", "-a", "a-", ".", "..", "org", "xn--p1ai", "8080",
        "99999", "0", "255.255.255.255", "256.1.1.1", "localhost", " ", "\t", "\n", "%20", "é",
        "\u3000", "\\", "user:pass", "a" * 64, "~", "'",
    ]
)  # fmt: skip


@FAST
@given(st.lists(URL_PARTS, min_size=1, max_size=12).map("".join))
def test_cached_url_check_agrees_with_djangos_validator(url):
    validator = URLValidator(schemes=["http", "https"])

    def verdict(check):
        try:
            check(url)
        except ValidationError:
            return False
        return True

    assert verdict(check_url) == verdict(validator)
    assert verdict(check_url) == verdict(validator)  # and again, with its origin remembered


JSON_PIECES = list('{}[],:"\\ 0123456789.eE+-') + [
    "true", "false", "null", "NaN", "Infinity", "\\u00e9", "\\ud800", "\\udc00", "é", "\t",
    '"a"', '"key":', "18446744073709551616", "-9223372036854775809", "1e400", "\x00", "\x0c",
]  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
)
JSON_TEXT = st.one_of(
    st.lists(st.sampled_from(JSON_PIECES), max_size=30).map("".join),
    JSON_VALUES.map(json.dumps),
)


@FAST
@given(JSON_TEXT)
def test_json_lines_decode_as_the_json_module_does(text):
    def outcome(loads):
        try:
            return ("value", repr(loads(text)))
        except json.JSONDecodeError as error:
            return ("error", error.msg, error.colno)
        except RecursionError:
            return ("too deep",)

    assert outcome(decode) == outcome(json.loads)


@FAST
@given(st.text(alphabet=string.printable + "\x1c\x1d\x1e\x1f", max_size=80))
def test_ascii_word_pattern_splits_as_the_unicode_one(text):
    assert ASCII_WORD_OR_SEPARATOR.findall(text) == WORD_OR_SEPARATOR.findall(text)


@FAST
@given(st.text(alphabet=string.ascii_letters + " -'’.,1_\né\u3000", max_size=80))
def test_words_are_the_ones_the_word_pattern_finds(text):
    for pattern in (WORD_OR_SEPARATOR, ASCII_WORD_OR_SEPARATOR if text.isascii() else None):
        if pattern is not None:
            assert [word for word in pattern.findall(text) if word] == WORD.findall(text)


@pytest.mark.django_db
def test_names_are_found_in_text_that_is_not_ascii():
    benn = PoliticianFactory(name="Hilary Benn", given_name="Hilary", family_name="Benn")
    text = "“Hilary Benn’s speech” — Benn-led rebels, anti-Benn voices; Benn’s 2016 résumé."

    assert find_names(text, NameIndex.build()).found == {benn.pk}


@pytest.mark.django_db
def test_text_no_database_can_store_is_refused_by_line(tmp_path):
    path = tmp_path / "surrogate.jsonl"
    good = {"headline": "Fine", "body": "Fine.", "published_at": "2016-01-01", "source": "S"}
    path.write_text(
        json.dumps(good) + "\n" + json.dumps(dict(good, headline="Half \ud800 a pair")) + "\n"
    )

    report = import_articles([path])

    assert [(e.line, e.reason) for e in report.errors] == [
        (2, "headline contains an unpaired surrogate (not valid Unicode text)")
    ]
    assert report.created == 1


def test_read_ahead_keeps_order_and_raises_where_the_reader_failed():
    def items():
        yield from range(250)
        raise ValueError("line 251 is broken")

    seen = []
    with pytest.raises(ValueError, match="line 251"):
        for item in read_ahead(items(), chunk=7, chunks=2):
            seen.append(item)

    assert seen == list(range(250))


def test_read_ahead_stops_its_thread_when_the_reader_is_abandoned():
    closed = threading.Event()

    def endless():
        try:
            n = 0
            while True:
                n += 1
                yield n
        finally:
            closed.set()

    ahead = read_ahead(endless(), chunk=3, chunks=2)
    assert [next(ahead) for _ in range(10)] == list(range(1, 11))
    ahead.close()

    assert closed.wait(5)
    assert not any(t.name == "read-ahead" for t in threading.enumerate())


# Matching -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_record_with_a_url_updates_an_article_without_one_from_the_same_day(tmp_path):
    source = SourceFactory(name="The Example Times")
    day = on(2016, 6, 28)
    same = ArticleFactory(headline="Vote tonight", source=source, published_at=day, url=None)
    other = ArticleFactory(
        headline="Vote later", source=source, published_at=day, url="https://e.org/1"
    )
    record = {"body": "New.", "published_at": "2016-06-28T20:00:00", "source": source.name}
    path = write_jsonl(
        tmp_path / "urls.jsonl",
        [
            dict(record, headline="Vote tonight", url="https://e.org/tonight"),
            dict(record, headline="Vote later", url="https://e.org/2"),  # another URL: new
        ],
    )

    report = import_articles([path])

    assert (report.created, report.updated) == (1, 1)
    same.refresh_from_db()
    assert (same.url, same.body) == ("https://e.org/tonight", "New.")
    other.refresh_from_db()
    assert other.url == "https://e.org/1"
    assert Article.objects.filter(headline="Vote later").count() == 2


@pytest.mark.django_db
def test_record_with_another_url_is_another_article_when_all_have_urls(tmp_path):
    source = SourceFactory(name="S")
    ArticleFactory(
        headline="Vote", source=source, published_at=on(2016, 6, 28), url="https://e.org/1"
    )
    record = {"headline": "Vote", "body": "B.", "published_at": "2016-06-28", "source": "S"}
    path = write_jsonl(
        tmp_path / "urls.jsonl",
        [dict(record, url="https://e.org/2"), dict(record, url="https://e.org/1")],
    )

    report = import_articles([path])

    assert (report.created, report.updated) == (1, 1)
    assert sorted(Article.objects.values_list("url", flat=True)) == [
        "https://e.org/1",
        "https://e.org/2",
    ]


# Writing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_batch_of_new_articles_is_written_whole(tmp_path):
    corbyn = PoliticianFactory(name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn")
    MembershipFactory(politician=corbyn, start_date=on(2000, 1, 1).date(), end_date=None)
    PoliticianFactory(name="Gordon Brown", given_name="Gordon", family_name="Brown")
    PoliticianFactory(name="Nick Brown", given_name="Nick", family_name="Brown")
    records = [
        {
            "headline": f"Story {n}",
            "body": "Jeremy Corbyn spoke.\n\nMr Brown\tlistened \\ replied.",
            "published_at": f"2016-06-{n % 28 + 1:02d}T12:00:00",
            "source": f"Source {n % 3}",
            "topics": ["Politics", f"Topic {n % 2}"],
            **({"mentions": [{"politician": "Jeremy Corbyn", "role": "quoted"}]} if n % 2 else {}),
        }
        for n in range(30)
    ]
    path = write_jsonl(tmp_path / "batch.jsonl", records)

    report = import_articles([path])

    assert (report.created, report.failed) == (30, 0)
    assert Article.topics.through.objects.count() == 60
    assert Mention.objects.filter(state="confirmed", role="quoted").count() == 15
    assert Mention.objects.filter(state="suggested", role="mentioned").count() == 15
    assert all(m.party == party_of(corbyn, m.published_on) for m in Mention.objects.all())
    assert AmbiguousName.objects.filter(name="Brown").count() == 15
    story = Article.objects.get(headline="Story 3")
    assert story.body == records[3]["body"]  # tabs, backslashes and newlines kept


@postgresql_only
@pytest.mark.django_db
def test_stored_search_vectors_are_the_triggers(tmp_path):
    records = [
        {
            "headline": f"Referendum night {n}: the count",
            "standfirst": "Votes are counted in 382 areas.",
            "body": "Turnout was 72.2%.\n\nE-mail results@example.org, see https://e.org/x",
            "published_at": "2016-06-24",
            "source": "S",
        }
        for n in range(20)
    ]
    import_articles([write_jsonl(tmp_path / "vectors.jsonl", records)])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article a WHERE a.search_vector IS DISTINCT FROM ("
            "setweight(to_tsvector('english', coalesce(a.headline, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(a.standfirst, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(a.body, '')), 'C'))"
        )
        assert cursor.fetchone()[0] == 0
    assert Article.objects.search("referendum").count() == 20


def prepared(headline, politician_id, *, party_id=None):
    record = ArticleRecord(
        file="f.jsonl",
        line=1,
        headline=headline,
        body="B.",
        published_at=on(2016, 1, 1),
        source="S",
    )
    article = PreparedArticle(record, slug=headline.lower(), source_id=Source.objects.get().pk)
    article.mentions, article.parties = [(politician_id, "subject")], [party_id]
    article.fields = (headline, "", "B.", record.published_at, "", None, "published")
    article.mention_rows = [(politician_id, "subject", "confirmed", record.published_on, party_id)]
    return article


@pytest.mark.django_db
def test_batch_checks_refuse_a_mention_of_a_politician_who_is_gone():
    SourceFactory(name="S")
    gone = PoliticianFactory()
    batch = [prepared("Kept", PoliticianFactory().pk), prepared("Lost", gone.pk)]
    gone.delete()

    for batch_fk_checks in (True, False):
        with pytest.raises(IntegrityError, match="articles_politician"), transaction.atomic():
            insert_new_articles(batch, batch_fk_checks=batch_fk_checks)

    assert not Article.objects.exists()
    assert not Mention.objects.exists()


@pytest.mark.django_db
def test_a_politician_deleted_during_an_import_fails_only_that_record(tmp_path):
    """The politicians are read when the import starts; the check of a later batch finds one
    gone and that record is reported by its line (a deferred foreign key would have failed the
    whole import at the commit)."""
    doomed = PoliticianFactory(name="Doomed Member", given_name="Doomed", family_name="Member")
    PoliticianFactory(name="Safe Member", given_name="Safe", family_name="Member")
    names = ["Safe Member"] * 1000 + ["Doomed Member"]
    lines = [
        {"headline": f"Line {n}", "body": "B.", "published_at": "2016-01-01", "source": "S",
         "mentions": [{"politician": name}]}
        for n, name in enumerate(names, start=1)
    ]  # fmt: skip
    path = write_jsonl(tmp_path / "doomed.jsonl", lines)

    def progress(done):  # called as the first batch of 1,000 is written
        Politician.objects.filter(pk=doomed.pk).delete()

    report = import_articles([path], progress=progress)

    assert [e.line for e in report.errors] == [1001]
    assert report.errors[0].reason.startswith("rejected by the database")
    assert report.created == 1000
    assert not Article.objects.filter(headline="Line 1001").exists()


@postgresql_only
@pytest.mark.django_db
def test_row_triggers_come_back_on_after_a_block_and_after_a_failed_one():
    def role():
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            return cursor.fetchone()[0]

    with transaction.atomic():
        with row_triggers_off():
            assert role() == "replica"
        assert role() == "origin"
        with pytest.raises(RuntimeError), transaction.atomic(), row_triggers_off():
            raise RuntimeError("the batch failed")
        assert role() == "origin"


@postgresql_only
@pytest.mark.django_db
def test_another_trigger_on_the_mentions_keeps_the_row_by_row_path():
    assert can_skip_row_triggers(RELATED_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_noop() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER test_noop BEFORE INSERT ON articles_mention "
            "FOR EACH ROW EXECUTE FUNCTION test_noop()"
        )

    assert not can_skip_row_triggers(RELATED_MODELS)


@pytest.mark.django_db
def test_lock_referenced_names_the_missing_rows():
    kept = PoliticianFactory()

    lock_referenced(Politician, [kept.pk], Mention)
    with pytest.raises(IntegrityError, match=f"articles_politician.*{kept.pk + 1000}"):
        lock_referenced(Politician, [kept.pk, kept.pk + 1000], Mention)
