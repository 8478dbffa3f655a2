"""“Find people in the text” on the add form: suggestions before the first save, nothing saved."""

import pytest
from django.urls import reverse

from articles.models import Article, Mention

from .admin_forms import inline_rows
from .factories import MembershipFactory, PartyFactory, PoliticianFactory, SourceFactory

pytestmark = pytest.mark.django_db

BODY = (
    "Jeremy Corbyn faced his MPs on Monday. Diane Abbott spoke for him. "
    "Mr Brown, the chief whip in an earlier era, kept quiet."
)


@pytest.fixture
def people():
    labour = PartyFactory(name="Labour Party")
    people = {
        "corbyn": PoliticianFactory(
            name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn"
        ),
        "abbott": PoliticianFactory(name="Diane Abbott", given_name="Diane", family_name="Abbott"),
        "gordon": PoliticianFactory(name="Gordon Brown", given_name="Gordon", family_name="Brown"),
        "nick": PoliticianFactory(name="Nick Brown", given_name="Nick", family_name="Brown"),
    }
    for person in people.values():
        MembershipFactory(politician=person, party=labour)
    return people


def typed(source=None, *, body=BODY, mentions=(), **fields):
    """The add form as an editor has typed it so far: no slug, no source yet."""
    return {
        "headline": "Corbyn faces his MPs",
        "slug": "",
        "standfirst": "",
        "body": body,
        "status": "draft",
        "published_at_0": "2016-06-28",
        "published_at_1": "12:00:00",
        "source": str(source.pk) if source else "",
        "byline": "A. Reporter",
        "url": "",
        **inline_rows("mentions", [{"politician": "", "role": "mentioned", "state": "confirmed"}]),
        **inline_rows("ambiguous_names"),
        **fields,
    }


ADD = "admin:articles_article_add"


def test_the_add_form_offers_the_button(editor_client, people):
    page = editor_client.get(reverse(ADD)).content.decode()
    assert 'name="_find_people"' in page
    assert "Find people in the text" in page


def test_finding_shows_each_name_with_its_sentence_and_saves_nothing(editor_client, people):
    response = editor_client.post(reverse(ADD), {**typed(), "_find_people": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>Jeremy Corbyn</strong>: “Jeremy Corbyn faced his MPs on Monday.”" in page
    assert "<strong>Diane Abbott</strong>: “Diane Abbott spoke for him.”" in page
    assert f'name="_add_found" value="{people["corbyn"].pk}"' in page
    assert "Add all 2 as mentions" in page
    # The ambiguous "Mr Brown": both candidates, told apart, one click each.
    assert "‘Brown’ could be" in page
    assert f'name="_add_found" value="{people["gordon"].pk}"' in page
    assert "Gordon Brown (Labour Party on that day" in page
    # Everything typed is kept, and nothing is said to be wrong: there is nothing to correct yet.
    assert 'value="A. Reporter"' in page
    assert "kept quiet.</textarea>" in page
    assert "errornote" not in page
    assert "This field is required" not in page
    assert not Article.objects.exists()
    assert not Mention.objects.exists()


def test_one_click_adds_a_confirmed_mention_to_the_form_and_saving_keeps_it(editor_client, people):
    corbyn = people["corbyn"]
    response = editor_client.post(reverse(ADD), {**typed(), "_add_found": str(corbyn.pk)})
    assert response.status_code == 200
    assert not Article.objects.exists()
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "mentions"
    )
    rows = [(f["politician"].value(), f["state"].value()) for f in formset.forms]
    assert rows == [(str(corbyn.pk), "confirmed")]  # in the empty row
    page = response.content.decode()
    assert "Added to the mentions below, as confirmed: Jeremy Corbyn." in page
    assert "in the mentions below" in page
    assert f'name="_add_found" value="{corbyn.pk}"' not in page

    # The form as the page now holds it, filled in and saved.
    data = {
        **typed(SourceFactory(), slug="corbyn-faces-his-mps"),
        **inline_rows(
            "mentions", [{"politician": corbyn.pk, "role": "mentioned", "state": "confirmed"}]
        ),
    }
    assert editor_client.post(reverse(ADD), data).status_code == 302
    article = Article.objects.get()
    states = dict(article.mentions.values_list("politician__name", "state"))
    assert states["Jeremy Corbyn"] == Mention.State.CONFIRMED
    assert states["Diane Abbott"] == Mention.State.SUGGESTED  # the save suggests the rest


def test_add_all_and_a_candidate(editor_client, people):
    response = editor_client.post(reverse(ADD), {**typed(), "_add_found": "all"})
    page = response.content.decode()
    assert "as confirmed: Diane Abbott, Jeremy Corbyn." in page
    data = response.context["adminform"].form.data
    response = editor_client.post(
        reverse(ADD), {**data.dict(), "_add_found": str(people["nick"].pk)}
    )
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "mentions"
    )
    chosen = {f["politician"].value() for f in formset.forms}
    assert chosen == {str(people[n].pk) for n in ("corbyn", "abbott", "nick")}
    assert "‘Brown’ could be" not in response.content.decode()  # settled
    assert not Article.objects.exists()


def test_finding_without_a_date_uses_today_and_without_names_says_so(editor_client, people):
    response = editor_client.post(
        reverse(ADD),
        {**typed(body="Nothing here names anyone.", published_at_0="", published_at_1="")}
        | {"headline": "Quiet day", "_find_people": "1"},
    )
    assert response.status_code == 200
    assert "No politician’s name found in the text." in response.content.decode()


def test_finding_costs_a_bounded_number_of_queries(
    editor_client, people, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        editor_client.post(reverse(ADD), {**typed(), "_find_people": "1"})
