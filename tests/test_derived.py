"""The derived data's one writer: the gateway, its guard, the party rule stated twice, and the
faults it used to have (a sampled article moved to an earlier month; an import holding the
writers' lock from start to end)."""

import contextlib
import datetime as dt
import json
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import derived
from articles.derived import parties, sample
from articles.derived.guard import StaleDerivedData
from articles.io.importers import articles as article_import
from articles.io.importers.articles import import_articles
from articles.models import Article, FacetSample, Mention, PartyMembership
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
)
from tests.test_article_counts import (  # noqa: F401  (a fixture)
    assert_counts_right,
    sample_every_other_article,
)

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a second connection during the import"
)


def on(year, month, day=1):
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


# -- the guard -------------------------------------------------------------------------------


def test_a_bulk_update_outside_the_gateway_is_refused():
    article = ArticleFactory(status="published")
    with pytest.raises(StaleDerivedData, match="derived.change"):
        Article.objects.filter(pk=article.pk).update(status="draft")
    with pytest.raises(StaleDerivedData):
        Mention.objects.bulk_create([Mention(article=article, politician=PoliticianFactory())])
    with pytest.raises(StaleDerivedData):
        PartyMembership.objects.filter(pk__in=[]).update(end_date=dt.date(2020, 1, 1))


def test_the_same_bulk_update_inside_the_gateway_keeps_the_counts():
    MentionFactory(article=ArticleFactory(status="published", published_at=on(2020, 5)))
    ids = list(Article.objects.values_list("pk", flat=True))
    with derived.change(ids):
        Article.objects.filter(pk__in=ids).update(status="draft")
    assert_counts_right()


def test_updates_of_fields_nothing_derives_from_pass_and_the_guard_can_be_off(settings):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    settings.DERIVED_GUARD = False
    Article.objects.filter(pk=article.pk).update(headline="Renamed")
    assert Article.objects.get(pk=article.pk).headline == "Renamed"


def test_topics_set_through_the_relation_need_no_block():
    article = ArticleFactory(status="published")
    topic = article.topics.model.objects.create(name="Budget", slug="budget")
    article.topics.add(topic)
    topic.articles.remove(article)
    assert_counts_right()


# -- the party rule, in SQL and in memory ----------------------------------------------------

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2010, 12, 31))
SPANS = st.lists(
    st.tuples(st.none() | DAYS, st.none() | DAYS).map(
        lambda span: tuple(sorted(span)) if None not in span else span
    ),
    min_size=0,
    max_size=5,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spans=SPANS, days=st.lists(DAYS, min_size=1, max_size=8))
def test_party_on_the_date_is_the_same_in_sql_and_in_memory(spans, days):
    """Memberships with open ends, overlapping where the database keeps them (SQLite; PostgreSQL
    refuses overlaps): the database's answer, the in-memory one for fetched rows and
    ``PartyHistory`` agree."""
    with transaction.atomic():
        person = PoliticianFactory()
        for start, end in spans:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                MembershipFactory(
                    politician=person, party=PartyFactory(), start_date=start, end_date=end
                )
        fetched = list(person.memberships.all())
        history = parties.PartyHistory.read()
        for day in days:
            in_sql = parties.party_of(person, day)
            deciding = parties.deciding(fetched, day)
            assert (deciding.party if deciding else None) == in_sql
            assert history.party_on(person.pk, day) == (in_sql.pk if in_sql else None)
        transaction.set_rollback(True)


def test_mentions_follow_their_politicians_memberships():
    person = PoliticianFactory()
    red, blue = PartyFactory(), PartyFactory()
    article = ArticleFactory(status="published", published_at=on(2018, 3))
    mention = MentionFactory(article=article, politician=person)
    assert Mention.objects.get(pk=mention.pk).party is None
    membership = MembershipFactory(politician=person, party=red, start_date=dt.date(2017, 1, 1))
    assert Mention.objects.get(pk=mention.pk).party == red
    membership.party = blue
    membership.save()
    assert Mention.objects.get(pk=mention.pk).party == blue
    article.published_at = on(2016, 3)
    article.save()
    mention = Mention.objects.get(pk=mention.pk)
    assert (mention.published_on, mention.party) == (dt.date(2016, 3, 1), None)
    assert_counts_right()


# -- faults ----------------------------------------------------------------------------------


def sampled_rows():
    return set(FacetSample.objects.values_list("pk", "published_at"))


@pytest.mark.parametrize("earlier", [on(2019, 12), on(2019, 1), on(1800, 1)])
def test_a_sampled_article_moves_to_an_earlier_month(settings, earlier):
    """Moving a sampled article (every other one is sampled here) to an earlier month (or year)
    rewrites both months' sample rows without a duplicate key, as a rebuild would write them."""
    settings.FACET_SAMPLE_EVERY = 2
    source = SourceFactory()
    articles = [
        ArticleFactory(status="published", published_at=on(2020, 2, day), source=source)
        for day in (1, 2, 3, 4)
    ]
    moved = next(a for a in articles if a.pk % 2 == 0)
    moved.published_at = earlier
    moved.save()
    assert (moved.pk, earlier) in sampled_rows()
    kept = sampled_rows()
    sample.rebuild()
    assert sampled_rows() == kept
    assert_counts_right()


def test_the_admin_moves_a_sampled_article_to_an_earlier_month(settings, editor_client):
    from tests.test_admin import article_data

    settings.FACET_SAMPLE_EVERY = 2  # every other article
    article = ArticleFactory(
        status="published", published_at=on(2020, 6, 10), headline="H", slug="h"
    )
    if article.pk % 2:  # not sampled: take the next one
        article = ArticleFactory(
            status="published", published_at=on(2020, 6, 11), headline="H2", slug="h2"
        )
    data = article_data(
        article.source,
        headline=article.headline,
        slug=article.slug,
        status="published",
        published_at_0="2020-05-10",
    )
    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    article.refresh_from_db()
    assert article.published_at.month == 5
    assert article.pk in {pk for pk, _ in sampled_rows()}
    assert_counts_right()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_import_commits_batch_by_batch_and_lets_editors_in_between(tmp_path, monkeypatch):
    """While a long import runs, its earlier batches are committed (another connection sees
    them) and the writers' lock is free between batches, so an editor's save goes through."""
    monkeypatch.setattr(article_import, "FIRST_BATCH", 5)
    monkeypatch.setattr(article_import, "BATCH", 5)
    monkeypatch.setattr(article_import, "PROGRESS_EVERY", 5)
    source = SourceFactory(name="The Wire")
    editor_article = ArticleFactory(status="published", published_at=on(2019, 1), source=source)
    path = tmp_path / "many.jsonl"
    lines = [
        {
            "headline": f"Story number {i}",
            "body": f"Body of story {i}.",
            "published_at": f"2020-01-{1 + i % 28:02d}T10:00:00Z",
            "source": "The Wire",
            "url": f"https://wire.example.org/{i}",
        }
        for i in range(40)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    seen = []

    def editor_saves():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM articles_article")
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()
        # An editor's save from another thread takes the writers' lock in its own transaction.
        done = threading.Event()

        def save():
            try:
                article = Article.objects.get(pk=editor_article.pk)
                article.headline = f"Edited {len(seen)}"
                article.save()
            finally:
                connections.close_all()
                done.set()

        thread = threading.Thread(target=save)
        thread.start()
        assert done.wait(10), "the editor's save waited for the import"
        thread.join()

    import_articles([path], progress=lambda done: editor_saves() if done % 10 == 0 else None)
    assert Article.objects.count() == 41
    assert seen and max(seen) > 1  # earlier batches were visible before the import ended
    assert Article.objects.get(pk=editor_article.pk).headline.startswith("Edited")
    assert_counts_right()
