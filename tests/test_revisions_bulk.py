"""Bulk changes leave history: admin actions and the Popolo import record a revision per record."""

import json

import pytest
from django.urls import reverse
from reversion.models import Revision, Version

from articles.io.importers.popolo import import_popolo
from articles.models import Article, Mention, Party, Politician

from .factories import ArticleFactory, MentionFactory, PoliticianFactory, TopicFactory
from .test_concurrency import form_data
from .test_history import change, edits_of, versions_of
from .test_import_popolo import GOOD

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:articles_article_changelist"
REVIEW_LIST = "admin:articles_articleforreview_changelist"


def act(client, action, articles, changelist=CHANGELIST):
    """Tick ``articles`` in the list and run ``action``, as the changelist form posts it."""
    response = client.post(
        reverse(changelist),
        {"action": action, "select_across": "0", "_selected_action": [a.pk for a in articles]},
    )
    assert response.status_code == 302
    return response


def restore(client, version):
    """Restore ``version`` from the article's history page, as an editor does."""
    url = reverse("admin:articles_article_revision", args=[version.object_id, version.pk])
    response = client.post(url, form_data(client.get(url), "article"))
    assert response.status_code == 302
    return response


def comments(obj):
    return [version.revision.get_comment() for version in versions_of(obj)]


# Publish and unpublish ------------------------------------------------------------------------


def test_publishing_records_a_revision_for_each_article_with_the_editor(editor_client):
    drafts = ArticleFactory.create_batch(3, status=Article.Status.DRAFT)
    act(editor_client, "publish", drafts)

    revisions = set()
    for article in drafts:
        article.refresh_from_db()
        newest = versions_of(article)[0]
        assert newest.revision.get_comment() == "Published (bulk action)"
        assert newest.revision.user.username == "ed"
        assert newest.field_dict["status"] == Article.Status.PUBLISHED
        assert newest.field_dict["version"] == article.version == 2
        # Each article a revision of its own: restoring one never touches the others.
        assert newest.revision.version_set.filter(object_id=str(article.pk)).count() == 1
        assert not newest.revision.version_set.exclude(object_id=str(article.pk)).filter(
            content_type=newest.content_type
        )
        revisions.add(newest.revision_id)
    assert len(revisions) == 3


def test_the_history_page_shows_the_bulk_action(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    act(editor_client, "publish", [article])
    page = editor_client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    assert "Published (bulk action)" in page.content.decode()


def test_articles_that_already_have_the_status_get_no_revision(editor_client):
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    act(editor_client, "publish", [published, draft])
    assert comments(published) == []
    assert comments(draft) == ["Published (bulk action)", "Initial version."]
    published.refresh_from_db()
    assert published.version == 1


def test_an_article_without_history_keeps_how_it_was_before(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, headline="Quiet day")
    act(editor_client, "publish", [article])
    newest, initial = versions_of(article)
    assert initial.revision.get_comment() == "Initial version."
    assert initial.field_dict["status"] == Article.Status.DRAFT
    assert initial.revision.date_created <= newest.revision.date_created


def test_restoring_the_version_from_before_a_bulk_publish(editor_client):
    article, other = ArticleFactory.create_batch(2, status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(editor_client, url, "article", headline="Budget day: the details")
    act(editor_client, "publish", [article, other])
    article.refresh_from_db()
    assert (article.status, article.version) == (Article.Status.PUBLISHED, 3)
    newest, before = edits_of(article)
    assert before.revision.get_comment() != "Initial version."  # the editor's own save

    restore(editor_client, before)

    article.refresh_from_db()
    assert (article.headline, article.status) == ("Budget day: the details", "draft")
    assert article.version == 5  # the restore, then the save of the restored form
    other.refresh_from_db()
    assert other.status == Article.Status.PUBLISHED  # published in the same action, untouched
    assert "Reverted to previous version" in versions_of(article)[0].revision.get_comment()


def test_a_form_opened_before_a_bulk_action_is_stale(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_change", args=[article.pk])
    stale = form_data(editor_client.get(url), "article")
    act(editor_client, "publish", [article])
    response = editor_client.post(url, {**stale, "headline": "Overwrite?"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()


def test_unpublishing_records_a_revision_and_can_be_undone(editor_client):
    topic = TopicFactory(name="Economy")
    article = ArticleFactory(status=Article.Status.PUBLISHED, topics=[topic])
    MentionFactory(article=article)
    act(editor_client, "unpublish", [article])
    newest, initial = versions_of(article)
    assert newest.revision.get_comment() == "Unpublished (bulk action)"
    # The revision keeps the article's mentions and topics, as a save through its form does.
    assert {v.content_type.model for v in newest.revision.version_set.all()} == {
        "article",
        "mention",
        "articletopic",
    }

    restore(editor_client, initial)

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert list(article.topics.all()) == [topic]
    assert article.mentions.count() == 1


def test_bulk_publish_queries_do_not_grow_with_each_articles_mentions(
    editor_client, django_assert_max_num_queries
):
    drafts = ArticleFactory.create_batch(10, status=Article.Status.DRAFT)
    for article in drafts:
        MentionFactory.create_batch(3, article=article)
    # What a process reads once and keeps (content types, the facet sample, rows a flushed
    # database lacks after a transactional test) is read by a first action, so the budget
    # counts what this one costs.
    act(editor_client, "publish", [ArticleFactory(status=Article.Status.DRAFT)])
    published = Version.objects.filter(revision__comment="Published (bulk action)")
    before = published.count()
    # The changelist's own queries and the stored counts' (a fixed dozen: what the articles
    # count for before and after, one write), then per article two revisions (the initial one
    # and the action's), each two inserts and two checks that its rows exist; nothing per mention.
    with django_assert_max_num_queries(45 + 2 * 4 * len(drafts)):
        act(editor_client, "publish", drafts)
    assert published.count() - before == 10 * 4


# Suggestions ----------------------------------------------------------------------------------


BODY = "Jeremy Corbyn faced his MPs. Diane Abbott spoke for them."


@pytest.fixture
def people():
    return {
        "corbyn": PoliticianFactory(
            name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn"
        ),
        "abbott": PoliticianFactory(name="Diane Abbott", given_name="Diane", family_name="Abbott"),
    }


@pytest.mark.parametrize("changelist", [CHANGELIST, REVIEW_LIST])
def test_confirming_suggestions_records_a_revision_that_can_be_undone(
    editor_client, people, changelist
):
    article = ArticleFactory(body=BODY)
    suggested = MentionFactory(
        article=article, politician=people["corbyn"], state=Mention.State.SUGGESTED
    )
    untouched = ArticleFactory(body="Nothing political.")
    act(editor_client, "confirm_suggestions", [article, untouched], changelist)

    states = dict(article.mentions.values_list("politician__name", "state"))
    assert states == {"Jeremy Corbyn": "confirmed", "Diane Abbott": "confirmed"}
    newest, initial = versions_of(article)
    assert newest.revision.get_comment() == "Confirmed suggestions (bulk action)"
    assert newest.revision.user.username == "ed"
    assert comments(untouched) == []
    article.refresh_from_db()
    assert newest.field_dict["version"] == article.version == 2

    restore(editor_client, initial)

    # Back as it was: Corbyn suggested, not confirmed. Abbott's mention, added by the action, is
    # gone, and suggested anew from the text as every save through the form does.
    assert article.mentions.get(politician=people["corbyn"]).pk == suggested.pk
    states = dict(article.mentions.values_list("politician__name", "state"))
    assert states == {"Jeremy Corbyn": "suggested", "Diane Abbott": "suggested"}


def test_suggesting_mentions_records_a_revision(editor_client, people):
    article = ArticleFactory(body=BODY)
    quiet = ArticleFactory(body="Nothing political.")
    act(editor_client, "suggest", [article, quiet])
    assert article.mentions.suggested().count() == 2
    assert comments(article) == ["Suggested mentions (bulk action)", "Initial version."]
    assert comments(quiet) == []


# The Popolo import ----------------------------------------------------------------------------


def test_the_popolo_import_records_what_it_created_and_changed(tmp_path):
    import_popolo(GOOD)
    carswell = Politician.objects.get(popolo_id="person/douglas-carswell")
    ukip = Party.objects.get(popolo_id="party/ukip")
    assert comments(carswell) == ["Imported from good.json"]
    assert comments(ukip) == ["Imported from good.json"]
    [version] = versions_of(carswell)
    assert version.revision.user is None
    # One revision per record, with the politician's memberships and other names in it.
    assert {v.content_type.model for v in version.revision.version_set.all()} == {
        "politician",
        "partymembership",
        "othername",
    }
    assert Revision.objects.count() == Politician.objects.count() + Party.objects.count()

    import_popolo(GOOD)  # nothing changes, nothing is recorded
    assert Revision.objects.count() == Politician.objects.count() + Party.objects.count()

    changed = tmp_path / "changed.json"
    changed.write_text(
        GOOD.read_text().replace('"end_date": "2017-03"', '"end_date": "2017-03-25"')
    )
    import_popolo(changed)
    assert comments(carswell) == ["Imported from changed.json", "Imported from good.json"]
    assert comments(ukip) == ["Imported from good.json"]
    memberships = [
        json.loads(v.serialized_data)[0]["fields"]["end_date"]
        for v in versions_of(carswell)[0].revision.version_set.all()
        if v.content_type.model == "partymembership"
    ]
    assert "2017-03-25" in memberships


def test_a_failed_popolo_record_leaves_no_revision(tmp_path):
    bad = tmp_path / "bad.json"
    document = json.loads(GOOD.read_text())
    carswell = next(p for p in document["persons"] if p["id"] == "person/douglas-carswell")
    carswell["other_names"] = [{"note": "no name"}]
    bad.write_text(json.dumps(document))
    report = import_popolo(bad)
    assert report.failed  # the person, and their memberships with them
    assert not Politician.objects.filter(popolo_id="person/douglas-carswell").exists()
    assert Revision.objects.count() == Politician.objects.count() + Party.objects.count()
