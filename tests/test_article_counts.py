"""The stored per-month counts and the facet sample stay equal to a count made from scratch,
whatever editors do."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from articles import derived
from articles.derived import counts
from articles.derived.parties import party_of
from articles.facets.sample import _micros, sampled_articles
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleCount,
    ArticleTopic,
    Author,
    FacetSample,
    Mention,
    PartyMembership,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sample_every_other_article(settings):
    """Every other article in the facet sample, so that both kinds are written."""
    settings.FACET_SAMPLE_EVERY = 2


def counted_from_scratch():
    """Published articles per (dimension, key, year, month), month 0 and year 0 as totals.

    Plain Python over the objects; the party is worked out from the memberships, not read
    from the mentions' stored copy.
    """
    rows = Counter()
    for article in Article.objects.filter(status="published"):
        day = article.published_on
        confirmed = [m for m in article.mentions.all() if m.state == Mention.State.CONFIRMED]
        keys = {("all", 0), ("source", article.source_id)}
        keys |= {("topic", topic.pk) for topic in article.topics.all()}
        keys |= {("author", author.pk) for author in article.authors.all()}
        keys |= {("politician", m.politician_id) for m in confirmed}
        parties = {party_of(m.politician, day) for m in confirmed} - {None}
        keys |= {("party", party.pk) for party in parties}
        for dimension, key in keys:
            for year, month in [(day.year, day.month), (day.year, 0), (0, 0)]:
                rows[(dimension, key, year, month)] += 1
    return dict(rows)


def stored():
    return {
        (c.dimension, c.key, c.year, c.month): c.n for c in ArticleCount.objects.filter(n__gt=0)
    }


def sampled_from_scratch():
    """{article id: (date, source, search vector, values)} of the published even ids."""
    rows = {}
    for article in Article.objects.filter(status="published"):
        if article.pk % 2:
            continue
        values = set()
        for m in article.mentions.all():
            if m.state == Mention.State.CONFIRMED:
                values |= {("politician", m.politician_id), (m.role, m.politician_id)}
                party = party_of(m.politician, article.published_on)
                if party:
                    values.add(("party", party.pk))
        values |= {("topic", topic.pk) for topic in article.topics.all()}
        values |= {("author", author.pk) for author in article.authors.all()}
        vector = Article.objects.filter(pk=article.pk).values_list("search_vector", flat=True)
        rows[article.pk] = (article.published_at, article.source_id, vector.get(), values)
    return rows


def sampled():
    return {
        s.pk: (
            s.published_at,
            s.source_id,
            s.search_vector,
            {(v.dimension, v.key) for v in s.values.all()},
        )
        for s in FacetSample.objects.all()
    }


def held_in_memory():
    """The sample as a serving process holds it: arrays read again only under a new token."""
    index = sampled_articles().index
    rows = {
        article_id: (moment, source, set())
        for article_id, moment, source in zip(
            index.ids.tolist(), index.moments.tolist(), index.sources.keys.tolist(), strict=True
        )
    }
    for dimension, values in index.values.items():
        for row, key in zip(values.rows.tolist(), values.keys.tolist(), strict=True):
            rows[index.ids[row].item()][2].add((dimension, key))
    return rows


def assert_counts_right():
    assert stored() == counted_from_scratch()
    from_scratch = sampled_from_scratch()
    assert sampled() == from_scratch
    assert held_in_memory() == {
        pk: (_micros(published_at), source, values)
        for pk, (published_at, source, _vector, values) in from_scratch.items()
    }


@pytest.fixture
def world():
    red, blue = PartyFactory(name="Red", slug="red"), PartyFactory(name="Blue", slug="blue")
    switcher = PoliticianFactory(name="Sam Switch", slug="sam-switch")
    MembershipFactory(
        politician=switcher, party=red, start_date=None, end_date=dt.date(2017, 6, 30)
    )
    MembershipFactory(politician=switcher, party=blue, start_date=dt.date(2017, 7, 1))
    loyal = PoliticianFactory(name="Lee Loyal", slug="lee-loyal")
    MembershipFactory(politician=loyal, party=red, start_date=dt.date(2010, 1, 1))
    topics = [TopicFactory(name=f"Topic {i}", slug=f"t{i}") for i in range(3)]
    sources = [SourceFactory(name=f"Source {i}", slug=f"s{i}") for i in range(2)]
    authors = [AuthorFactory(name=f"Author {i}", slug=f"a{i}") for i in range(2)]
    articles = []
    for i, when in enumerate(
        [on(2016, 6, 28), on(2017, 6, 30, 23), on(2017, 7, 1), on(2019, 12, 31, 23)]
    ):
        article = ArticleFactory(
            headline=f"Story {i}",
            published_at=when,
            source=sources[i % 2],
            topics=topics[: i % 3 + 1],
            authors=authors[i % 2 :],
            status="published",
        )
        MentionFactory(article=article, politician=switcher)
        if i % 2:
            MentionFactory(article=article, politician=loyal, role=Mention.Role.QUOTED)
        articles.append(article)
    return {
        "switcher": switcher,
        "loyal": loyal,
        "red": red,
        "blue": blue,
        "topics": topics,
        "sources": sources,
        "authors": authors,
        "articles": articles,
    }


def test_counts_follow_single_edits(world):
    assert_counts_right()
    article = world["articles"][0]

    article.published_at = on(2018, 2, 3)  # another month, another year, another party
    article.save()
    assert_counts_right()

    article.source = world["sources"][1]
    article.save()
    assert_counts_right()

    article.status = Article.Status.DRAFT
    article.save()
    assert_counts_right()
    article.status = Article.Status.PUBLISHED
    article.save()
    assert_counts_right()

    mention = article.mentions.get()
    mention.state = Mention.State.REJECTED
    mention.save()
    assert_counts_right()
    mention.delete()
    assert_counts_right()
    MentionFactory(article=article, politician=world["loyal"])
    assert_counts_right()

    ArticleTopic.objects.filter(article=article).first().delete()
    assert_counts_right()

    world["articles"][1].delete()
    assert_counts_right()


def test_counts_follow_topic_sets_from_either_side(world):
    article = world["articles"][2]
    article.topics.set([world["topics"][2]])
    assert_counts_right()
    article.topics.clear()
    assert_counts_right()
    topic = world["topics"][0]
    topic.articles.add(*world["articles"])
    assert_counts_right()
    topic.articles.remove(world["articles"][0])
    assert_counts_right()
    topic.articles.clear()
    assert_counts_right()


def test_counts_follow_edits_of_an_articles_authors(world):
    first, second = world["authors"]
    article = world["articles"][2]
    assert counts.totals("author")[first.pk] == 2
    article.authors.set([second])
    assert_counts_right()
    assert counts.totals("author")[first.pk] == 1
    assert counts.monthly("author", second.pk)[(2017, 7)] == 1
    article.authors.clear()
    assert_counts_right()
    second.articles.add(*world["articles"])
    assert_counts_right()
    assert counts.totals("author")[second.pk] == 4
    ArticleAuthor.objects.filter(article=world["articles"][0], author=second).delete()
    assert_counts_right()
    ArticleAuthor.objects.create(article=world["articles"][2], author=first)
    assert_counts_right()
    with derived.change(articles=[world["articles"][1].pk]):
        ArticleAuthor.objects.bulk_create(
            [ArticleAuthor(article=world["articles"][1], author=AuthorFactory(name="New"))]
        )
    assert_counts_right()
    second.articles.clear()
    assert_counts_right()
    assert set(counts.totals("author")) == {first.pk, Author.objects.get(name="New").pk}


def test_counts_follow_membership_changes(world):
    switcher, red, blue = world["switcher"], world["red"], world["blue"]
    membership = PartyMembership.objects.get(politician=switcher, party=blue)
    membership.start_date = dt.date(2015, 1, 1)
    with derived.change(politicians=[switcher.pk]):
        PartyMembership.objects.filter(politician=switcher, party=red).update(
            end_date=dt.date(2014, 12, 31)
        )
        membership.save()
    assert_counts_right()
    membership.delete()
    assert_counts_right()
    PartyMembership.objects.filter(politician=switcher).delete()  # a queryset delete
    assert_counts_right()
    MembershipFactory(politician=switcher, party=blue, start_date=None)
    assert_counts_right()


def test_queryset_deletes_and_nested_bulk_changes(world):
    Mention.objects.filter(politician=world["loyal"]).delete()
    assert_counts_right()
    ids = [a.pk for a in world["articles"]]
    with derived.change(ids) as block:
        Article.objects.filter(pk__in=ids[:2]).update(status=Article.Status.DRAFT)
        with derived.change(ids[1:]):  # joins the outer block
            Article.objects.filter(pk=ids[3]).update(source=world["sources"][0])
        world["articles"][2].save()  # a single edit inside the block: recounted at its end
        block.memberships_changed([world["switcher"].pk])  # their mentions' parties follow
    assert_counts_right()


def test_bulk_change_that_fails_changes_no_counts(world):
    before = stored()
    ids = [a.pk for a in world["articles"]]
    with pytest.raises(RuntimeError), derived.change(ids):
        Article.objects.filter(pk__in=ids).update(status=Article.Status.DRAFT)
        raise RuntimeError("stop")
    assert stored() == before
    assert_counts_right()


def test_rebuild_equals_kept_counts_and_the_command(world):
    kept = stored()
    ArticleCount.objects.all().delete()
    call_command("recount_articles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert stored() == kept == counted_from_scratch()


def test_readers_do_not_see_scheduled_articles_in_counts(world, time_machine):
    time_machine.move_to(on(2020, 1, 1), tick=False)
    source = world["sources"][0]
    scheduled = ArticleFactory(
        published_at=on(2020, 3, 1), status="published", source=source, topics=[]
    )
    MentionFactory(article=scheduled, politician=world["loyal"])
    assert_counts_right()  # stored: every published article
    totals = counts.totals("source")
    assert totals[source.pk] == Article.objects.published().filter(source=source).count()
    monthly = counts.monthly("politician", world["loyal"].pk)
    assert (2020, 3) not in monthly
    time_machine.move_to(on(2020, 3, 2), tick=False)
    assert counts.monthly("politician", world["loyal"].pk)[(2020, 3)] == 1
    assert (
        counts.totals("source")[source.pk]
        == Article.objects.published().filter(source=source).count()
    )


def test_counts_follow_the_admin(editor_client, world):
    from tests.test_admin import article_data

    # A new article with a mention and topics, saved through the change form.
    source, topics = world["sources"][0], world["topics"]
    data = article_data(
        source,
        status="published",
        mentions=[{"politician": str(world["loyal"].pk), "role": "subject", "state": "confirmed"}],
        topic_choices=[str(topics[0].pk), str(topics[1].pk)],
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_counts_right()
    # The bulk actions.
    changelist = "/admin/articles/article/"
    ids = [str(a.pk) for a in world["articles"][:3]]
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": ids})
    assert Article.objects.filter(status="draft").count() == 3
    assert_counts_right()
    editor_client.post(changelist, {"action": "publish", "_selected_action": ids[:1]})
    assert_counts_right()
    # A delete through the admin.
    response = editor_client.post(
        f"/admin/articles/article/{world['articles'][3].pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert_counts_right()


def test_counts_follow_a_restore_from_history(world):
    import reversion
    from reversion.models import Version

    article = world["articles"][0]
    with reversion.create_revision():
        article.save()
    article.published_at = on(2019, 3, 3)
    article.status = Article.Status.DRAFT
    article.save()
    MentionFactory(article=article, politician=world["loyal"])
    ArticleTopic.objects.filter(article=article).delete()
    assert_counts_right()
    Version.objects.get_for_object(article).first().revision.revert(delete=True)
    article.refresh_from_db()
    assert article.published_at == on(2016, 6, 28)
    assert_counts_right()


def test_counts_follow_imports_and_suggestions(world, tmp_path):
    import json

    from articles.suggestions import suggest_mentions

    lines = [
        {
            "headline": f"Imported {i}",
            "body": "Lee Loyal and Sam Switch spoke." if i % 2 else "Sam Switch spoke.",
            "published_at": f"201{i % 10}-0{i % 9 + 1}-15T10:00:00Z",
            "source": "Source 0" if i % 3 else "A new source",
            "topics": ["Topic 1", "A new topic"][: i % 3],
            "status": "published",
            "url": f"https://example.org/{i}",
        }
        for i in range(12)
    ]
    # Listed mentions are confirmed: one of a politician with no party, drafts, a repeated topic.
    PoliticianFactory(name="Nora Noparty", slug="nora-noparty")
    lines += [
        {
            "headline": f"Listed {i}",
            "body": "Text.",
            "published_at": f"201{i}-06-30T23:30:00Z",  # 1 July in the archive's zone
            "source": "Source 1",
            "topics": ["Topic 2", "Topic 2", "Topic 0"],
            "status": "draft" if i == 3 else "published",
            "mentions": [
                {"politician": "Nora Noparty", "role": "subject"},
                {"politician": "Sam Switch", "role": "quoted"},
            ],
        }
        for i in range(5)
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    call_command("import_articles", str(path), verbosity=0)
    assert Article.objects.filter(headline__startswith="Imported").count() == 12
    assert Mention.objects.filter(article__headline="Listed 0", state="confirmed").count() == 2
    assert_counts_right()
    # Changed lines update existing articles.
    lines[0]["published_at"], lines[1]["status"] = "2020-02-02T10:00:00Z", "draft"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    call_command("import_articles", str(path), verbosity=0)
    assert_counts_right()
    article = ArticleFactory(body="Lee Loyal again.", status="published", topics=[])
    suggest_mentions(article, confirm_unambiguous=True)
    assert article.mentions.get().politician == world["loyal"]
    assert_counts_right()


def test_largest_holds_every_key_that_can_be_among_the_largest_once_lowered():
    import random

    rng = random.Random(7)
    stored = {key: rng.choice([1, 2, 3, 3, 5, 8, 8, 8, 13, 21]) for key in range(1, 61)}
    ArticleCount.objects.bulk_create(
        ArticleCount(dimension="politician", key=key, year=0, month=0, n=n)
        for key, n in stored.items()
    )
    for _ in range(40):
        count = rng.randrange(1, 20)
        lowered = {key: rng.randrange(0, 25) for key in rng.sample(sorted(stored), 10)}
        found = counts.largest("politician", count, lowered=lowered)
        assert all(stored[key] == n for key, n in found.items())
        adjusted = {key: max(0, n - lowered.get(key, 0)) for key, n in stored.items()}
        floor = sorted(adjusted.values(), reverse=True)[count - 1]
        needed = {key for key, n in adjusted.items() if n >= floor and n > 0}
        assert needed <= set(found), (count, lowered)
