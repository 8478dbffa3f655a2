"""A party switch on the politician page: the overlap error's button ends the old membership."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from articles.models import Politician
from tests.factories import MembershipFactory, PartyFactory, PoliticianFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def editor_page(page):
    get_user_model().objects.create_superuser("desk", "desk@example.org", PASSWORD)
    page.goto("/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def test_one_click_ends_the_earlier_membership_and_saves_what_was_typed(editor_page):
    page = editor_page
    person = PoliticianFactory(name="Ann Switcher")
    con = PartyFactory(name="Conservative Party")
    labour = PartyFactory(name="Labour Party Test")
    MembershipFactory(politician=person, party=con, start_date=dt.date(2005, 5, 5), end_date=None)

    page.goto(f"/admin/articles/politician/{person.pk}/change/")
    page.fill("#id_biography", "Crossed the floor in 2019.")
    page.click("#memberships-group .add-row a")
    row = page.locator("#memberships-1")
    row.locator(".select2-selection").click()
    page.fill(".select2-search__field", "Labour Party Test")
    page.click(".select2-results__option:has-text('Labour Party Test')")
    page.fill("#id_memberships-1-start_date", "2019-01-01")
    page.click("input[name=_continue]")

    page.wait_for_selector("text=overlaps the Conservative Party membership")
    button = page.get_by_role(
        "button", name="End the Conservative Party membership on 31 December 2018 and save"
    )
    assert page.input_value("#id_biography") == "Crossed the floor in 2019."
    button.click()
    page.wait_for_url("**/admin/articles/politician/")

    person = Politician.objects.get(pk=person.pk)
    assert person.biography == "Crossed the floor in 2019."
    assert [
        (m.party_id, m.start_date, m.end_date) for m in person.memberships.order_by("start_date")
    ] == [
        (con.pk, dt.date(2005, 5, 5), dt.date(2018, 12, 31)),
        (labour.pk, dt.date(2019, 1, 1), None),
    ]
