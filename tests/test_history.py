"""Revision history: editors see who changed what and restore an earlier version."""

import datetime as dt

import pytest
import reversion
from django.db import transaction
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ConcurrentEditError, Mention, PartyMembership

from .factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    TopicFactory,
    on,
)
from .test_concurrency import editor_client, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return editor_client("alice")


@pytest.fixture
def bob():
    return editor_client("bob")


def change(client, url, model_name, **fields):
    data = {**form_data(client.get(url), model_name), **fields}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def versions_of(obj):
    """The record's versions in history, newest first."""
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


def edits_of(obj):
    """The versions editors' saves made, newest first (without the initial version recorded
    before the first change of a record that came in without history)."""
    return [v for v in versions_of(obj) if v.revision.get_comment() != "Initial version."]


def test_history_page_lists_who_changed_the_article(alice, bob):
    article = ArticleFactory(headline="Budget day")
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(alice, url, "article", headline="Budget day: the details")
    change(bob, url, "article", byline="Political staff")
    [newest, oldest] = edits_of(article)
    assert (newest.revision.user.username, oldest.revision.user.username) == ("bob", "alice")
    page = alice.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "alice" in text and "bob" in text
    assert reverse("admin:articles_article_revision", args=[article.pk, oldest.pk]) in text


def test_restoring_an_article_brings_back_its_text_mentions_and_topics(alice, bob):
    economy = TopicFactory(name="Economy")
    article = ArticleFactory(headline="Budget day", topics=[economy])
    kept = MentionFactory(article=article)
    dropped = MentionFactory(article=article, role=Mention.Role.QUOTED)
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(alice, url, "article", headline="Budget day: the details")
    [alices] = edits_of(article)

    # Bob rewrites the headline, drops a mention and the topic.
    data = form_data(bob.get(url), "article")
    dropped_row = next(
        k.rsplit("-", 1)[0] for k, v in data.items() if k.endswith("-id") and v == str(dropped.pk)
    )
    data.update({"headline": "Bob's headline", f"{dropped_row}-DELETE": "on"})
    data.pop("topic_choices")
    assert bob.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Bob's headline" and article.version == 3
    assert list(article.mentions.all()) == [kept] and not article.topics.exists()

    # Alice restores her version from the history page.
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, alices.pk])
    restore_form = form_data(alice.get(revision_url), "article")
    assert restore_form["headline"] == "Budget day: the details"
    assert restore_form["version"] == "4"  # the restore itself is a new save
    assert Article.objects.get(pk=article.pk).headline == "Bob's headline"  # only shown so far
    assert alice.post(revision_url, restore_form).status_code == 302

    article.refresh_from_db()
    assert article.headline == "Budget day: the details"
    assert article.version == 5
    assert set(article.mentions.all()) == {kept, dropped}
    assert list(article.topics.all()) == [economy]
    newest = versions_of(article)[0]
    assert newest.revision.user.username == "alice"
    assert "Reverted to previous version" in newest.revision.get_comment()


def test_a_form_opened_before_a_restore_cannot_overwrite_it(alice, bob):
    article = ArticleFactory(headline="First")
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(alice, url, "article", headline="Second")
    change(alice, url, "article", headline="Third")
    stale = form_data(bob.get(url), "article")
    first_saved = edits_of(article)[-1]
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, first_saved.pk])
    assert (
        alice.post(revision_url, form_data(alice.get(revision_url), "article")).status_code == 302
    )
    response = bob.post(url, {**stale, "headline": "Bob's"})
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert Article.objects.get(pk=article.pk).headline == "Second"


def test_restoring_a_politician_brings_back_memberships_and_the_parties_of_mentions(alice, bob):
    labour = PartyFactory(name="Labour Party")
    membership = MembershipFactory(party=labour, start_date=dt.date(1983, 6, 9))
    politician = membership.politician
    mention = MentionFactory(
        politician=politician, article=ArticleFactory(published_at=on(2016, 6, 28))
    )
    assert mention.party == labour
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    change(alice, url, "politician", biography="MP since 1983.")
    [alices] = edits_of(politician)

    change(bob, url, "politician", **{"memberships-0-DELETE": "on"})
    assert not PartyMembership.objects.filter(politician=politician).exists()
    mention.refresh_from_db()
    assert mention.party is None

    revision_url = reverse("admin:articles_politician_revision", args=[politician.pk, alices.pk])
    assert (
        alice.post(revision_url, form_data(alice.get(revision_url), "politician")).status_code
        == 302
    )
    restored = PartyMembership.objects.get(politician=politician)
    assert (restored.party, restored.start_date) == (labour, dt.date(1983, 6, 9))
    mention.refresh_from_db()
    assert mention.party == labour


def test_party_history_and_restore(alice, bob):
    party = PartyFactory(name="Brexit Party", colour="#12B6CF")
    url = reverse("admin:articles_party_change", args=[party.pk])
    change(alice, url, "party", description="Founded in 2019.")
    change(bob, url, "party", name="Reform UK", description="Renamed in 2021.")
    [bobs, alices] = edits_of(party)
    history = alice.get(reverse("admin:articles_party_history", args=[party.pk]))
    assert "bob" in history.content.decode()
    revision_url = reverse("admin:articles_party_revision", args=[party.pk, alices.pk])
    assert alice.post(revision_url, form_data(alice.get(revision_url), "party")).status_code == 302
    party.refresh_from_db()
    assert (party.name, party.description) == ("Brexit Party", "Founded in 2019.")


def test_a_deleted_article_can_be_recovered_with_its_mentions(alice):
    article = ArticleFactory(headline="Lost and found")
    MentionFactory(article=article)
    change(alice, reverse("admin:articles_article_change", args=[article.pk]), "article")
    pk = article.pk
    response = alice.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=pk).exists()
    [deleted] = Version.objects.get_deleted(Article)
    recover_url = reverse("admin:articles_article_recover", args=[deleted.pk])
    assert alice.post(recover_url, form_data(alice.get(recover_url), "article")).status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert recovered.headline == "Lost and found"
    assert recovered.mentions.count() == 1


def test_restoring_through_the_api_is_a_new_version():
    politician = PoliticianFactory(name="Jo Swinson")
    with reversion.create_revision():
        politician.biography = "Leader of the Liberal Democrats."
        politician.save()
    stale = type(politician).objects.get(pk=politician.pk)
    with reversion.create_revision():
        politician.biography = "Former leader."
        politician.save()
    assert politician.version == 3
    versions_of(politician)[-1].revision.revert()
    politician.refresh_from_db()
    assert politician.biography == "Leader of the Liberal Democrats."
    assert politician.version == 4
    stale.biography = "Overwritten?"
    with pytest.raises(ConcurrentEditError), transaction.atomic():
        stale.save()


def test_the_first_change_of_an_imported_article_keeps_how_it_came_in(alice):
    article = ArticleFactory(headline="As imported")  # no history, like an imported article
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(alice, url, "article", headline="Edited")
    [edit, initial] = versions_of(article)
    assert initial.revision.get_comment() == "Initial version."
    assert edit.revision.user.username == "alice"
    revision_url = reverse("admin:articles_article_revision", args=[article.pk, initial.pk])
    response = alice.post(revision_url, form_data(alice.get(revision_url), "article"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "As imported"
    change(alice, url, "article", headline="Edited again")
    assert len(versions_of(article)) == 4  # no second initial version


def test_a_refused_save_shows_what_the_other_editor_saved_beside_each_field(alice, bob):
    article = ArticleFactory(headline="Budget day", byline="Staff", body="First text.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    stale = form_data(bob.get(url), "article")
    change(alice, url, "article", headline="Budget day: the details", body="Alice's text.")
    response = bob.post(url, {**stale, "headline": "Bob's budget", "byline": "Bob"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["headline"] == ["Saved now as: “Budget day: the details”. The field shows yours."]
    assert errors["body"] == ["Saved now as: “Alice's text.”. The field shows yours."]
    assert errors["byline"] == ["Saved now as: “Staff”. The field shows yours."]
    assert "standfirst" not in errors and "status" not in errors  # the same on both sides
    page = response.content.decode()
    assert 'value="Bob&#x27;s budget"' in page  # the input keeps what Bob typed
    assert Article.objects.get(pk=article.pk).headline == "Budget day: the details"


def test_the_history_page_shows_what_each_version_changed(alice, bob):
    article = ArticleFactory(headline="Budget day", body="One.\n\nTwo.\n\nThree.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    change(alice, url, "article", headline="Budget day: the details")
    change(bob, url, "article", body="One.\n\nTwo, rewritten.\n\nThree.")
    response = alice.get(reverse("admin:articles_article_history", args=[article.pk]))
    page = response.content.decode()
    assert "<strong>headline</strong>: “Budget day” → “Budget day: the details”" in page
    assert "-Two.\n+Two, rewritten." in page
    rows = page.split("<tbody>")[1].split("<tr>")[1:]  # newest first
    assert "Two, rewritten." in rows[0] and "Budget day: the details" not in rows[0]
    assert "Budget day: the details" in rows[1]
