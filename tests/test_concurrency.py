"""Nothing lost: a save based on an outdated copy of a record is refused, never applied."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from articles.models import Article, ConcurrentEditError, Party, PartyMembership, Politician

from .factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser would submit from the form with the given id, as displayed."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.data.append((name, text.removeprefix("\n")))
            self._textarea = None


def form_data(response, model_name):
    """The change form of ``response`` as a browser would post it (multi-valued keys as lists)."""
    assert response.status_code == 200
    parser = FormFields(f"{model_name}_form")
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def errors_in(response):
    return [
        unescape(e)
        for e in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
        )
    ]


def editor_client(username):
    user = User.objects.create_user(username, password="not-a-real-one", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    return editor_client("alice")


@pytest.fixture
def bob():
    return editor_client("bob")


# The model layer -------------------------------------------------------------------------------


def test_every_save_bumps_the_version():
    article = ArticleFactory()
    assert article.version == 1
    article.headline = "Changed"
    article.save()
    article.save()
    assert article.version == 3
    assert Article.objects.get(pk=article.pk).version == 3


def test_a_save_from_a_stale_copy_is_refused():
    article = ArticleFactory(headline="Original")
    first, second = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    first.headline = "First editor's headline"
    first.save()
    second.headline = "Second editor's headline"
    with pytest.raises(ConcurrentEditError), transaction.atomic():
        second.save()
    stored = Article.objects.get(pk=article.pk)
    assert stored.headline == "First editor's headline"
    assert stored.version == 2


@pytest.mark.parametrize(
    "factory",
    [PartyFactory, PoliticianFactory, MembershipFactory, RoleFactory],
    ids=["party", "politician", "membership", "role"],
)
def test_people_and_parties_are_versioned_too(factory):
    record = factory()
    model = type(record)
    stale = model.objects.get(pk=record.pk)
    record.save()
    with pytest.raises(ConcurrentEditError), transaction.atomic():
        stale.save()
    assert model.objects.get(pk=record.pk).version == 2


def test_partial_saves_are_checked_and_counted():
    party = PartyFactory(name="Green Party")
    stale = Party.objects.get(pk=party.pk)
    party.description = "New"
    party.save(update_fields=["description"])
    assert Party.objects.get(pk=party.pk).version == 2
    stale.description = "Old"
    with pytest.raises(ConcurrentEditError), transaction.atomic():
        stale.save(update_fields=["description"])


def test_publishing_from_the_list_counts_as_a_change(alice):
    article = ArticleFactory(status=Article.Status.DRAFT)
    response = alice.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.version) == (Article.Status.PUBLISHED, 2)


# Through the admin ------------------------------------------------------------------------------


def test_two_editors_on_one_article_the_second_is_refused_and_keeps_their_input(alice, bob):
    article = ArticleFactory(headline="Minister resigns", body="The first version.")
    MentionFactory(article=article)
    url = reverse("admin:articles_article_change", args=[article.pk])
    alices_form = form_data(alice.get(url), "article")
    bobs_form = form_data(bob.get(url), "article")
    assert alices_form["version"] == bobs_form["version"] == "1"

    alices_form.update(headline="Minister resigns after vote", _save="Save")
    assert alice.post(url, alices_form).status_code == 302

    bobs_form.update(body="Bob's careful rewrite of the text.", _save="Save")
    response = bob.post(url, bobs_form)
    assert response.status_code == 200
    (error,) = [e for e in errors_in(response) if "changed by someone else" in e]
    assert "This article was changed by someone else (alice, " in error
    assert "reload the page to see their changes" in error
    # Bob's input is still in the form for him to copy.
    assert "Bob&#x27;s careful rewrite of the text." in response.content.decode()

    article.refresh_from_db()
    assert article.headline == "Minister resigns after vote"
    assert article.body == "The first version."
    assert article.version == 2


def test_after_reloading_the_second_editor_can_save(alice, bob):
    article = ArticleFactory(headline="Minister resigns")
    url = reverse("admin:articles_article_change", args=[article.pk])
    bobs_stale_form = form_data(bob.get(url), "article")
    form = form_data(alice.get(url), "article")
    assert alice.post(url, {**form, "headline": "Alice's headline"}).status_code == 302
    assert bob.post(url, {**bobs_stale_form, "byline": "Bob"}).status_code == 200
    fresh = form_data(bob.get(url), "article")
    assert fresh["headline"] == "Alice's headline" and fresh["version"] == "2"
    assert bob.post(url, {**fresh, "byline": "Bob"}).status_code == 302
    article.refresh_from_db()
    assert (article.headline, article.byline, article.version) == ("Alice's headline", "Bob", 3)


def test_an_article_deleted_meanwhile_is_not_brought_back(alice, bob):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = form_data(bob.get(url), "article")
    Article.objects.filter(pk=article.pk).delete()
    response = bob.post(url, form)
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert not Article.objects.filter(pk=article.pk).exists()


def test_two_editors_on_one_party(alice, bob):
    party = PartyFactory(name="Reform Party", short_name="RP", colour="#12B6CF")
    url = reverse("admin:articles_party_change", args=[party.pk])
    alices_form, bobs_form = form_data(alice.get(url), "party"), form_data(bob.get(url), "party")
    assert alice.post(url, {**alices_form, "colour": "#00AEEF"}).status_code == 302
    response = bob.post(url, {**bobs_form, "short_name": "Reform"})
    assert any("This party was changed by someone else" in e for e in errors_in(response))
    party.refresh_from_db()
    assert (party.colour, party.short_name) == ("#00AEEF", "RP")


def test_two_editors_on_one_membership_on_the_politician_page(alice, bob):
    membership = MembershipFactory(start_date="2010-01-01")
    politician = membership.politician
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    alices_form = form_data(alice.get(url), "politician")
    bobs_form = form_data(bob.get(url), "politician")
    assert alices_form["memberships-0-version"] == "1"

    alices_form["memberships-0-end_date"] = "2019-02-18"
    assert alice.post(url, alices_form).status_code == 302

    bobs_form["memberships-0-start_date"] = "2011-05-05"
    bobs_form["biography"] = "Bob's biography."
    response = bob.post(url, bobs_form)
    assert response.status_code == 200
    assert any(
        "This party membership was changed by someone else" in e for e in errors_in(response)
    )
    membership.refresh_from_db()
    politician.refresh_from_db()
    assert str(membership.start_date) == "2010-01-01"
    assert str(membership.end_date) == "2019-02-18"
    assert politician.biography == ""


def test_two_editors_on_one_membership_page(alice, bob):
    membership = MembershipFactory()
    url = reverse("admin:articles_partymembership_change", args=[membership.pk])
    alices_form = form_data(alice.get(url), "partymembership")
    bobs_form = form_data(bob.get(url), "partymembership")
    assert alice.post(url, {**alices_form, "end_date": "2020-01-01"}).status_code == 302
    response = bob.post(url, {**bobs_form, "end_date": "2021-01-01"})
    assert any("changed by someone else" in e for e in errors_in(response))
    assert str(PartyMembership.objects.get(pk=membership.pk).end_date) == "2020-01-01"


def test_the_politician_form_is_refused_when_the_politician_changed(alice, bob):
    politician = PoliticianFactory(name="Diane Abbott")
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    alices_form, bobs_form = (
        form_data(alice.get(url), "politician"),
        form_data(bob.get(url), "politician"),
    )
    assert alice.post(url, {**alices_form, "biography": "Alice's."}).status_code == 302
    response = bob.post(url, {**bobs_form, "biography": "Bob's."})
    assert any("This politician was changed by someone else" in e for e in errors_in(response))
    assert Politician.objects.get(pk=politician.pk).biography == "Alice's."


def test_confirming_suggestions_from_the_list_makes_open_forms_stale(alice, bob):
    article = ArticleFactory()
    mention = MentionFactory(article=article, state="suggested")
    url = reverse("admin:articles_article_change", args=[article.pk])
    bobs_form = form_data(bob.get(url), "article")
    response = alice.post(
        reverse("admin:articles_article_changelist"),
        {"action": "confirm_suggestions", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    response = bob.post(url, {**bobs_form, "byline": "Bob"})
    assert any("changed by someone else" in e for e in errors_in(response))
    mention.refresh_from_db()
    assert mention.state == "confirmed"
