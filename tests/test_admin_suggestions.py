"""Mention suggestions in the admin: on save, as actions, rejected ones, and the review list."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import AmbiguousName, Article, Mention

from .admin_forms import inline_rows
from .factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "corbyn": PoliticianFactory(
            name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn"
        ),
        "gordon": PoliticianFactory(name="Gordon Brown", given_name="Gordon", family_name="Brown"),
        "nick": PoliticianFactory(name="Nick Brown", given_name="Nick", family_name="Brown"),
    }


# "Mr Brown": a bare "Brown" is also a colour, and names no one alone (issue #14).
BODY = "Jeremy Corbyn faced his MPs. Mr Brown, the chief whip in an earlier era, kept quiet."


def article_data(article=None, *, source=None, mentions=(), body=BODY):
    existing = list(article.mentions.all()) if article else []
    mention_rows = [
        {
            "id": m.pk,
            "article": article.pk,
            "politician": m.politician_id,
            "role": m.role,
            "state": m.state,
        }
        for m in existing
    ]
    return {
        "headline": article.headline if article else "Corbyn faces his MPs",
        "slug": article.slug if article else "corbyn-faces-his-mps",
        "standfirst": "",
        "body": body,
        "status": "draft",
        "published_at_0": "2016-06-28",
        "published_at_1": "12:00:00",
        "source": str(article.source_id if article else source.pk),
        "byline": "",
        "url": "",
        **inline_rows("mentions", [*mention_rows, *mentions], len(mention_rows)),
        **inline_rows("ambiguous_names"),
    }


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def add_article(client, **kwargs):
    response = client.post(reverse("admin:articles_article_add"), article_data(**kwargs))
    assert response.status_code == 302, response.context["adminform"].form.errors
    messages = messages_of(response)
    client.get(response.url)  # shows, and so clears, the messages
    return messages, Article.objects.get(slug="corbyn-faces-his-mps")


def save(client, article, **kwargs):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_data(article, **kwargs))
    assert response.status_code == 302
    return response


def test_saving_suggests_mentions_and_reports_them(editor_client, people):
    messages, article = add_article(editor_client, source=SourceFactory())
    mention = article.mentions.get()
    assert (mention.politician, mention.state) == (people["corbyn"], Mention.State.SUGGESTED)
    assert any(
        "Suggested from the text: Jeremy Corbyn (“Jeremy Corbyn faced his MPs.”)." in m
        for m in messages
    )
    assert (
        "‘Brown’ could be Gordon Brown (no party on that day) or Nick Brown (no party on that "
        "day): add the right one as a mention. "
        "The text says: “Mr Brown, the chief whip in an earlier era, kept quiet.”"
    ) in messages


def test_ambiguous_candidates_are_told_apart_by_party_and_years(editor_client, people):
    labour = PartyFactory(name="Labour Party")
    MembershipFactory(
        politician=people["gordon"], party=labour, start_date=dt.date(1983, 6, 9),
        end_date=dt.date(2015, 3, 30),
    )  # fmt: skip
    MembershipFactory(politician=people["nick"], party=labour, start_date=dt.date(1983, 6, 9))
    messages, _ = add_article(editor_client, source=SourceFactory())
    assert any(
        m.startswith(
            "‘Brown’ could be Gordon Brown (no party on that day; in politics 1983–2015) or "
            "Nick Brown (Labour Party on that day; in politics 1983–): "
        )
        for m in messages
    )


def test_suggestions_are_not_shown_to_readers(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    assert not Mention.objects.confirmed().filter(article=article).exists()
    assert not Article.objects.mentioning(people["corbyn"]).exists()


def test_ambiguous_name_is_shown_with_its_candidates(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    assert article.ambiguous_names.get().name == "Brown"
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    inline = next(
        f
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "ambiguous_names"
    )
    assert [form.instance.name for form in inline.formset.forms] == ["Brown"]
    assert "Gordon Brown</button> or <button" in response.text
    assert "Nick Brown" in response.text


def test_adding_the_right_candidate_resolves_the_ambiguity(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    row = {"politician": people["nick"].pk, "role": "mentioned", "state": "confirmed"}
    response = save(editor_client, article, mentions=[row])
    assert not article.ambiguous_names.exists()
    assert not any("could be" in m for m in messages_of(response))
    assert article.mentions.confirmed().get().politician == people["nick"]


def test_rejected_suggestion_is_not_suggested_again(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    data = article_data(article)
    data["mentions-0-state"] = "rejected"
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302
    save(editor_client, article)
    mention = article.mentions.get()
    assert (mention.politician, mention.state) == (people["corbyn"], Mention.State.REJECTED)
    assert not Mention.objects.public().exists()


def test_deleted_suggestion_is_suggested_again(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    data = article_data(article)
    data["mentions-0-DELETE"] = "on"
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert article.mentions.get().state == Mention.State.SUGGESTED
    assert any("Suggested from the text: Jeremy Corbyn" in m for m in messages_of(response))


def test_confirming_a_suggestion_in_the_inline(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    data = article_data(article)
    data["mentions-0-state"] = "confirmed"
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302
    assert article.mentions.confirmed().get().politician == people["corbyn"]


def test_suggest_action_on_many_articles(editor_client, people):
    articles = ArticleFactory.create_batch(2, body=BODY)
    quiet = ArticleFactory(body="Nothing political.")
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "suggest", "_selected_action": [a.pk for a in [*articles, quiet]]},
    )
    assert response.status_code == 302
    assert "2 mentions suggested; 2 ambiguous names to resolve." in messages_of(response)
    assert Mention.objects.suggested().count() == 2
    assert AmbiguousName.objects.count() == 2


def test_confirm_action_confirms_suggestions_and_leaves_ambiguities(editor_client, people):
    article = ArticleFactory(body=BODY)
    rejected = MentionFactory(article=article, state=Mention.State.REJECTED)
    suggested = MentionFactory(article=article, state=Mention.State.SUGGESTED)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "confirm_suggestions", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    states = dict(article.mentions.values_list("politician", "state"))
    assert states == {
        people["corbyn"].pk: "confirmed",
        suggested.politician_id: "confirmed",
        rejected.politician_id: "rejected",
    }
    assert article.ambiguous_names.get().name == "Brown"


def test_review_list_shows_articles_awaiting_review(editor_client, people):
    waiting = MentionFactory(state=Mention.State.SUGGESTED, article__headline="Waiting").article
    ambiguous = ArticleFactory(headline="Unclear")
    AmbiguousName.objects.create(article=ambiguous, name="Brown").candidates.add(people["nick"])
    MentionFactory(article__headline="All done")
    MentionFactory(article__headline="Rejected only", state=Mention.State.REJECTED)

    response = editor_client.get(reverse("admin:articles_articleforreview_changelist"))
    assert response.status_code == 200
    assert {a.headline for a in response.context["cl"].result_list} == {"Waiting", "Unclear"}
    assert reverse("admin:articles_article_change", args=[waiting.pk]) in response.text
    assert waiting.mentions.get().politician.name in response.text


def test_review_list_empties_as_editors_confirm(editor_client, people):
    article = MentionFactory(state=Mention.State.SUGGESTED).article
    url = reverse("admin:articles_articleforreview_changelist")
    response = editor_client.post(
        url, {"action": "confirm_suggestions", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    assert list(editor_client.get(url).context["cl"].result_list) == []


def test_one_click_confirms_a_suggestion_and_keeps_what_was_typed(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    mention = article.mentions.get()
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert f'name="_confirm_mention" value="{mention.pk}">Confirm</button>' in page
    data = article_data(article)
    data["headline"] = "Typed before confirming"
    data["_confirm_mention"] = str(mention.pk)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302 and response.url == url  # back to the article
    assert Article.objects.get(pk=article.pk).headline == "Typed before confirming"
    assert article.mentions.get().state == Mention.State.CONFIRMED
    assert "Confirmed: Jeremy Corbyn." in messages_of(response)
    assert Mention.objects.public().count() == 0  # a draft: still not public


def test_confirm_all_suggestions_on_the_article_page(editor_client, people):
    body = "Jeremy Corbyn and Gordon Brown met. Nick Brown was not there."
    _, article = add_article(editor_client, source=SourceFactory(), body=body)
    assert article.mentions.suggested().count() == 3
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "Confirm all 3</button>" in page
    data = article_data(article, body=body)
    data["_confirm_all_suggestions"] = "1"
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert editor_client.post(url, data).status_code == 302
    assert article.mentions.confirmed().count() == 3


def test_one_click_on_a_candidate_resolves_an_ambiguous_name(editor_client, people):
    _, article = add_article(editor_client, source=SourceFactory())
    ambiguous = article.ambiguous_names.get()
    data = article_data(article)
    data["_choose_candidate"] = f"{ambiguous.pk}:{people['nick'].pk}"
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert not article.ambiguous_names.exists()
    assert article.mentions.confirmed().get().politician == people["nick"]
    assert "‘Brown’ linked to Nick Brown." in messages_of(response)
    # A choice that does not fit (an unknown name or candidate) is ignored, not an error.
    stale = article_data(article) | {"_choose_candidate": f"{ambiguous.pk}:{people['corbyn'].pk}"}
    assert editor_client.post(url, stale).status_code == 302
    assert article.mentions.confirmed().get().politician == people["nick"]
