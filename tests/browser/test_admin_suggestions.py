"""Suggestions on the editors' desk, in a browser: found before the first save on the add form,
confirmed in one click (each, or all at once) and ambiguous names settled in one click on the
article page."""

import pytest
from django.contrib.auth import get_user_model

from articles.models import AmbiguousName, Article, Mention
from articles.suggestions import suggest_mentions
from tests.factories import ArticleFactory, PoliticianFactory, on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-1"
BODY = (
    "Jeremy Corbyn faced his MPs on Monday. Hilary Benn spoke against him. "
    "Mr Brown, the chief whip in an earlier era, kept quiet."
)


@pytest.fixture
def editor_page(page):
    get_user_model().objects.create_superuser("desk", "desk@example.org", PASSWORD)
    page.goto("/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


@pytest.fixture
def browns(archive):
    return {
        "gordon": PoliticianFactory(name="Gordon Brown", given_name="Gordon", family_name="Brown"),
        "nick": PoliticianFactory(name="Nick Brown", given_name="Nick", family_name="Brown"),
    }


def test_people_are_found_and_added_before_the_first_save(editor_page, browns):
    page = editor_page
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Corbyn faces his MPs")
    page.fill("#id_body", BODY)
    page.fill("#id_published_at_0", "2016-06-28")
    page.fill("#id_published_at_1", "12:00:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Find people in the text").click()

    found = page.locator("ul.found-people")
    assert "Jeremy Corbyn: “Jeremy Corbyn faced his MPs on Monday.”" in found.inner_text()
    assert "Hilary Benn: “Hilary Benn spoke against him.”" in found.inner_text()
    assert page.get_by_role("button", name="Gordon Brown (no party on that day)").is_visible()
    assert page.input_value("#id_headline") == "Corbyn faces his MPs"
    assert page.input_value("#id_body") == BODY
    assert not Article.objects.filter(headline="Corbyn faces his MPs").exists()

    with page.expect_navigation():
        found.locator("li", has_text="Jeremy Corbyn").get_by_role("button").click()
    assert "in the mentions below" in found.locator("li", has_text="Jeremy Corbyn").inner_text()
    assert page.locator("#id_mentions-0-politician option:checked").inner_text() == (
        "Jeremy Corbyn"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gordon Brown (no party on that day)").click()
    assert page.locator("#id_mentions-1-politician option:checked").inner_text() == ("Gordon Brown")
    assert not Article.objects.filter(headline="Corbyn faces his MPs").exists()

    page.locator(".field-source .select2-selection").click()
    page.locator(".select2-search__field[aria-controls=select2-id_source-results]").fill("Guardian")
    page.locator(".select2-results__option", has_text="The Guardian").click()
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    article = Article.objects.get(headline="Corbyn faces his MPs")
    states = dict(article.mentions.values_list("politician__name", "state"))
    assert states == {
        "Jeremy Corbyn": Mention.State.CONFIRMED,
        "Gordon Brown": Mention.State.CONFIRMED,
        "Hilary Benn": Mention.State.SUGGESTED,  # found on save, for the editor to confirm
    }
    assert not article.ambiguous_names.exists()  # settled by Gordon Brown's row


@pytest.fixture
def suggested(archive, browns):
    article = ArticleFactory(
        headline="Corbyn faces his MPs", body=BODY, published_at=on(2016, 6, 28)
    )
    suggest_mentions(article)
    assert article.mentions.suggested().count() == 2
    assert article.ambiguous_names.count() == 1
    return article


def test_confirm_all_on_the_article_page(editor_page, suggested):
    page = editor_page
    page.goto(f"/admin/articles/article/{suggested.pk}/change/")
    page.fill("#id_standfirst", "Typed before confirming.")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm all 2").first.click()
    assert "Confirmed: " in page.locator(".messagelist").inner_text()
    assert not suggested.mentions.suggested().exists()
    assert suggested.mentions.confirmed().count() == 2
    suggested.refresh_from_db()
    assert suggested.standfirst == "Typed before confirming."
    assert "None waiting." in page.locator(".field-suggestions").inner_text()


def test_one_click_confirms_a_suggestion_and_one_click_settles_a_name(editor_page, suggested):
    page = editor_page
    page.goto(f"/admin/articles/article/{suggested.pk}/change/")
    benn = suggested.mentions.get(politician__name="Hilary Benn")
    with page.expect_navigation():
        page.locator(f"button[name=_confirm_mention][value='{benn.pk}']").click()
    benn.refresh_from_db()
    assert benn.state == Mention.State.CONFIRMED
    assert "Confirmed: Hilary Benn." in page.locator(".messagelist").inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Nick Brown").click()
    assert "‘Brown’ linked to Nick Brown." in page.locator(".messagelist").inner_text()
    assert suggested.mentions.get(politician__name="Nick Brown").state == (Mention.State.CONFIRMED)
    assert not AmbiguousName.objects.filter(article=suggested).exists()
