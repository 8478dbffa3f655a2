"""The editors' admin: every page loads for an Editors-group user; articles save with mentions."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import AmbiguousName, Article, Mention

from .admin_forms import inline_rows
from .factories import (
    ArticleFactory,
    AuthorFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


def article_data(source, *, mentions=(), initial_mentions=0, **fields):
    data = {
        "headline": "Leader faces confidence vote",
        "slug": "leader-faces-confidence-vote",
        "standfirst": "",
        "body": "A quiet day at Westminster.",
        "status": "draft",
        "published_at_0": "2016-06-28",
        "published_at_1": "12:00:00",
        "source": str(source.pk),
        "byline": "",
        "url": "",
        **inline_rows("mentions", mentions, initial_mentions),
        **inline_rows("ambiguous_names"),
    }
    data.update(fields)
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def archive():
    """One of everything, linked up, so every admin page has something to show."""
    party = PartyFactory(name="Labour Party", colour="#E4003B")
    politician = PoliticianFactory(name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn")
    membership = MembershipFactory(politician=politician, party=party)
    role = RoleFactory(politician=politician, title="Leader of the Labour Party")
    other_name = OtherNameFactory(politician=politician, name="JC")
    topic = TopicFactory(name="Brexit")
    article = ArticleFactory(topics=[topic], body="Jeremy Corbyn spoke.")
    mention = MentionFactory(article=article, politician=politician)
    ambiguous = AmbiguousName.objects.create(article=article, name="Brown")
    ambiguous.candidates.add(PoliticianFactory(name="Gordon Brown"))
    return {
        "article": article,
        "articleforreview": article,
        "politician": politician,
        "party": party,
        "partymembership": membership,
        "role": role,
        "source": article.source,
        "topic": topic,
        "mention": mention,
        "othername": other_name,
    }


ADMIN_MODELS = ["article", "politician", "party", "partymembership", "role", "source", "topic"]


@pytest.mark.parametrize("model", [*ADMIN_MODELS, "articleforreview"])
def test_changelist_loads(editor_client, archive, model):
    response = editor_client.get(reverse(f"admin:articles_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_add_page_loads(editor_client, archive, model):
    response = editor_client.get(reverse(f"admin:articles_{model}_add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_change_page_loads(editor_client, archive, model):
    url = reverse(f"admin:articles_{model}_change", args=[archive[model].pk])
    response = editor_client.get(url)
    assert response.status_code == 200


def test_review_list_leads_to_the_article_page(editor_client, archive):
    url = reverse("admin:articles_articleforreview_change", args=[archive["article"].pk])
    response = editor_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:articles_article_change", args=[archive["article"].pk]
    )
    assert response.status_code == 200


def test_admin_index_lists_the_archive_but_not_users(editor_client, archive):
    response = editor_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert reverse("admin:articles_article_changelist") in response.text
    assert reverse("admin:articles_articleforreview_changelist") in response.text
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    ("field_name", "model_name", "term", "expected"),
    [
        ("politician", "mention", "Corb", "Jeremy Corbyn"),
        ("politician", "mention", "JC", "Jeremy Corbyn"),
        ("topics", "article", "Brex", "Brexit"),
        ("source", "article", "Sour", "Source"),
        ("party", "partymembership", "Lab", "Labour Party"),
    ],
)
def test_autocomplete_finds_by_any_name(
    editor_client, archive, field_name, model_name, term, expected
):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert any(expected in r["text"] for r in response.json()["results"])


def test_article_list_shows_mention_counts_without_a_query_per_row(editor_client):
    url = reverse("admin:articles_article_changelist")
    article = ArticleFactory()
    MentionFactory(article=article)
    MentionFactory(article=article, state=Mention.State.SUGGESTED)
    with CaptureQueriesContext(connection) as few:
        response = editor_client.get(url)
    assert "2 (1 suggested)" in response.text
    for _ in range(10):
        MentionFactory(article=ArticleFactory())
    with CaptureQueriesContext(connection) as many:
        editor_client.get(url)
    assert len(many) == len(few)


def test_list_filters_by_party_via_mentions_and_by_topic(editor_client):
    labour, tory = PartyFactory(name="Labour"), PartyFactory(name="Conservative")
    red = MembershipFactory(party=labour).politician
    blue = MembershipFactory(party=tory).politician
    topic = TopicFactory(name="Economy")
    red_article = MentionFactory(politician=red, article__headline="Red news").article
    MentionFactory(politician=blue, article__headline="Blue news")
    ArticleFactory(headline="Tagged news", topics=[topic])
    url = reverse("admin:articles_article_changelist")

    response = editor_client.get(url, {"party": labour.pk})
    assert list(response.context["cl"].result_list) == [red_article]
    response = editor_client.get(url, {"topic": topic.pk})
    assert [a.headline for a in response.context["cl"].result_list] == ["Tagged news"]
    assert editor_client.get(url, {"party": "nonsense"}).status_code == 200


def test_list_search_finds_words_in_headline_and_body(editor_client):
    ArticleFactory(headline="Budget day", body="The Chancellor spoke about austerity.")
    ArticleFactory(headline="Other news", body="Nothing to see.")
    url = reverse("admin:articles_article_changelist")
    for term in ["austerity", "budget"]:
        response = editor_client.get(url, {"q": term})
        assert [a.headline for a in response.context["cl"].result_list] == ["Budget day"]


def test_add_article_with_inline_mentions_and_topics(editor_client):
    source, topic = SourceFactory(), TopicFactory(name="Brexit")
    politician = PoliticianFactory(name="Angela Eagle")
    data = article_data(
        source,
        mentions=[{"politician": politician.pk, "role": "subject", "state": "confirmed"}],
        topic_choices=[str(topic.pk)],
    )
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="leader-faces-confidence-vote")
    mention = article.mentions.get()
    assert (mention.politician, mention.role, mention.state) == (politician, "subject", "confirmed")
    assert mention.published_on == dt.date(2016, 6, 28)
    assert list(article.topics.all()) == [topic]


def test_topics_can_be_changed_and_cleared(editor_client):
    first, second = TopicFactory(name="Brexit"), TopicFactory(name="Economy")
    article = ArticleFactory(topics=[first], headline="H", slug="h")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_data(article.source, headline="H", slug="h", topic_choices=[str(second.pk)])
    assert editor_client.post(url, data).status_code == 302
    assert list(article.topics.all()) == [second]
    data.pop("topic_choices")
    assert editor_client.post(url, data).status_code == 302
    assert not article.topics.exists()


def test_authors_are_chosen_on_the_article_form_and_counted(editor_client):
    from articles.derived import counts

    jane, john = AuthorFactory(name="Jane Doe"), AuthorFactory(name="John Roe")
    article = ArticleFactory(headline="H", slug="h", authors=[jane])
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = editor_client.get(url)
    assert page.context["adminform"].form["author_choices"].value() == [jane.pk]
    data = article_data(
        article.source, headline="H", slug="h", status="published", author_choices=[str(john.pk)]
    )
    assert editor_client.post(url, data).status_code == 302
    assert list(article.authors.all()) == [john]
    assert counts.totals("author") == {john.pk: 1}
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "authors", "term": "Jan"},
    )
    assert [r["text"] for r in found.json()["results"]] == ["Jane Doe"]
    assert editor_client.get(reverse("admin:articles_author_changelist")).status_code == 200


def test_change_page_shows_the_selected_topics(editor_client):
    article = ArticleFactory(topics=[TopicFactory(name="Brexit")])
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.context["adminform"].form["topic_choices"].value() == [article.topics.get().pk]


def test_duplicate_mention_in_one_article_is_a_form_error(editor_client):
    politician = PoliticianFactory()
    row = {"politician": politician.pk, "role": "mentioned", "state": "confirmed"}
    data = article_data(SourceFactory(), mentions=[row, dict(row, role="quoted")])
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.text
    assert not Article.objects.exists()


def test_duplicate_url_is_a_form_error(editor_client):
    existing = ArticleFactory(url="https://example.org/story")
    data = article_data(existing.source, url="https://example.org/story")
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_empty_urls_do_not_clash(editor_client):
    ArticleFactory(url=None)
    data = article_data(SourceFactory(), url="")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.filter(url__isnull=True).count() == 2


def test_bad_date_is_a_form_error(editor_client):
    data = article_data(SourceFactory(), published_at_0="2016-02-30")
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors


def test_publish_and_unpublish_actions(editor_client):
    drafts = ArticleFactory.create_batch(2, status=Article.Status.DRAFT)
    other = ArticleFactory(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    response = editor_client.post(
        url, {"action": "publish", "_selected_action": [a.pk for a in drafts]}
    )
    assert response.status_code == 302
    assert "2 articles published." in messages_of(response)
    assert set(Article.objects.published().values_list("pk", flat=True)) == {a.pk for a in drafts}
    other.refresh_from_db()
    assert other.status == Article.Status.DRAFT

    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert Article.objects.published().count() == 1


def test_deleting_an_article_removes_its_mentions_only(editor_client):
    mention = MentionFactory()
    url = reverse("admin:articles_article_delete", args=[mention.article.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Mention.objects.exists()
    assert mention.politician.__class__.objects.filter(pk=mention.politician.pk).exists()


def test_mention_rows_offer_autocomplete_only_no_related_object_icons(editor_client):
    article = ArticleFactory()
    MentionFactory(article=article)
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    mentions = html[html.index('id="mentions-group"') :]
    mentions = mentions[: mentions.index("</fieldset>")]
    assert "admin-autocomplete" in mentions
    for icon in ("delete_id_mentions", "change_id_mentions", "add_id_mentions", "view_id_mentions"):
        assert icon not in mentions


def test_a_published_article_dated_ahead_shows_as_scheduled(editor_client):
    ArticleFactory(headline="Out later", status="published", published_at=on(2099, 6, 5))
    ArticleFactory(headline="Out now", status="published", published_at=on(2016, 6, 5))
    page = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled (from 5 June 2099" in page
    assert page.count("Scheduled (from") == 1


def test_the_admin_index_counts_articles_awaiting_review(editor_client):
    article = ArticleFactory()
    MentionFactory(article=article, state="suggested")
    ArticleFactory()
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "<strong>1</strong> article awaiting review" in page
    assert reverse("admin:articles_articleforreview_changelist") in page


def test_dates_have_one_format_in_inputs_and_one_in_captions(editor_client):
    article = ArticleFactory(published_at=on(2016, 6, 28, 14))
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert 'name="published_at_0" value="2016-06-28"' in html
    assert 'name="published_at_1" value="14:00"' in html
    assert "year-month-day, for example 2016-06-28" in html
    scheduled = ArticleFactory(status="published", published_at=on(2099, 6, 28, 9))
    listing = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Scheduled (from 28 June 2099, 09:00)" in listing
    assert scheduled.pk
