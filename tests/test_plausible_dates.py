"""Dates outside the plausible ranges (articles/models/plausible.py) are refused with a clear
message wherever they come in: the admin, the importers, the article filters and the API."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Party, PartyMembership, Politician, Role, plausible

from .admin_forms import inline_rows
from .factories import ArticleFactory, MembershipFactory, PartyFactory
from .test_concurrency import form_data

pytestmark = pytest.mark.django_db

ARTICLE_RANGE = "An article&#x27;s date must be between 1 January 1800 and"
PEOPLE_RANGE = "The date must be between 1 January 1700 and"


def a_year_ahead(days=0):
    return plausible.ARTICLES.last + dt.timedelta(days=days)


def post_article_date(client, date_text, time_text="12:00:00"):
    article = ArticleFactory(headline="Minister resigns")
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = form_data(client.get(url), "article")
    form.update(published_at_0=date_text, published_at_1=time_text)
    return article, client.post(url, form)


@pytest.mark.parametrize(
    ("date_text", "time_text"),
    [("31/12/9999", "23:59:59"), ("01/01/9999", "00:00:00"), ("31/12/1799", "12:00:00")],
)
def test_admin_refuses_an_implausible_article_date_with_a_field_error(
    editor_client, date_text, time_text
):
    article, response = post_article_date(editor_client, date_text, time_text)

    assert response.status_code == 200
    page = response.content.decode()
    assert ARTICLE_RANGE in page
    assert f'value="{date_text}"' in page  # the input is kept
    article.refresh_from_db()
    assert article.published_on == dt.date(2016, 6, 28)


def test_admin_accepts_an_article_scheduled_up_to_a_year_ahead(editor_client):
    last = a_year_ahead()
    article, response = post_article_date(editor_client, last.strftime("%d/%m/%Y"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.published_on == last
    _, response = post_article_date(editor_client, a_year_ahead(1).strftime("%d/%m/%Y"))
    assert ARTICLE_RANGE in response.content.decode()


def test_admin_refuses_a_membership_from_year_1_to_9999(editor_client):
    membership = MembershipFactory(start_date=dt.date(2001, 1, 1))
    url = reverse("admin:articles_partymembership_change", args=[membership.pk])
    form = form_data(editor_client.get(url), "partymembership")

    response = editor_client.post(
        url, {**form, "start_date": "01/01/0001", "end_date": "31/12/9999"}
    )

    assert response.status_code == 200
    assert response.content.decode().count(PEOPLE_RANGE) == 2  # both fields
    membership.refresh_from_db()
    assert (membership.start_date, membership.end_date) == (dt.date(2001, 1, 1), None)


def test_politician_page_refuses_implausible_birth_and_role_dates(editor_client):
    party = PartyFactory()
    data = {
        "name": "Ann Example",
        "slug": "ann-example",
        "birth_date": "01/01/1650",
        **inline_rows("other_names"),
        **inline_rows("memberships", [{"party": party.pk, "start_date": "01/01/2001"}]),
        **inline_rows(
            "roles", [{"title": "Whip", "start_date": "01/01/2001", "end_date": "9999-12-31"}]
        ),
    }

    response = editor_client.post(reverse("admin:articles_politician_add"), data)

    assert response.status_code == 200
    assert response.content.decode().count(PEOPLE_RANGE) == 2
    assert not Politician.objects.exists()


def test_model_clean_names_each_field():
    party = Party(name="P", slug="p", founding_date=dt.date(1066, 10, 14))
    with pytest.raises(Exception) as refused:
        party.full_clean()
    assert set(refused.value.message_dict) == {"founding_date"}
    role = Role(title="Whip", start_date=dt.date(1700, 1, 1), end_date=a_year_ahead())
    role.clean()  # both bounds are included


# Imports ----------------------------------------------------------------------------------


def test_import_refuses_implausible_published_at_by_line_and_keeps_the_rest(tmp_path):
    path = tmp_path / "articles.jsonl"
    good = {"headline": "Good", "body": "Text.", "published_at": "2016-06-28", "source": "S"}
    lines = [
        good,
        {**good, "headline": "Too old", "published_at": "1799-12-31T23:00:00Z"},
        {**good, "headline": "Too far", "published_at": "9999-12-31T23:59:59"},
        {**good, "headline": "Scheduled", "published_at": a_year_ahead().isoformat()},
        {**good, "headline": "Just too far", "published_at": a_year_ahead(1).isoformat()},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="2 created, 0 updated, 0 unchanged, 3 failed"):
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=stderr)

    reported = stderr.getvalue().splitlines()
    assert [
        re.match(rf"{re.escape(str(path))}:(\d+): bad published_at", line)[1] for line in reported
    ] == ["2", "3", "5"]
    assert all("An article's date must be between 1 January 1800 and" in line for line in reported)
    assert set(Article.objects.values_list("headline", flat=True)) == {"Good", "Scheduled"}


def test_popolo_refuses_implausible_dates_by_record(tmp_path):
    path = tmp_path / "people.json"
    document = {
        "organizations": [
            {"id": "party/a", "classification": "party", "name": "A", "founding_date": "0001"},
            {"id": "party/b", "classification": "party", "name": "B", "founding_date": "1900"},
        ],
        "persons": [
            {"id": "person/a", "name": "Ann Example", "birth_date": "9999-12-31T23:59:59"},
            {"id": "person/b", "name": "Bob Example", "birth_date": "1950"},
        ],
        "memberships": [
            {
                "person_id": "person/b",
                "organization_id": "party/b",
                "start_date": "0001",
                "end_date": "9999",
            },
            {"person_id": "person/b", "organization_id": "party/b", "start_date": "1990"},
        ],
    }
    path.write_text(json.dumps(document))
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="3 created, 0 updated, 0 unchanged, 3 failed"):
        call_command("import_popolo", str(path), stdout=io.StringIO(), stderr=stderr)

    reported = stderr.getvalue()
    assert f"{path}:organizations[0]: founding_date: {PEOPLE_RANGE}" in reported
    assert f"{path}:persons[0]: birth_date: {PEOPLE_RANGE}" in reported
    assert f"{path}:memberships[0]: start_date: {PEOPLE_RANGE}" in reported
    assert "end_date: The date must be between" in reported
    assert list(Party.objects.values_list("name", flat=True)) == ["B"]
    assert list(Politician.objects.values_list("name", flat=True)) == ["Bob Example"]
    assert list(PartyMembership.objects.values_list("start_date", flat=True)) == [
        dt.date(1990, 1, 1)
    ]


# Filters and the API ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "from=9999-12-31",
        "to=0001-01-01",
        "year=9999",
        "from=1799-12-31",
        f"year={timezone.localdate().year + 2}",
    ],
)
def test_article_filters_refuse_implausible_dates_clearly(client, query):
    ArticleFactory(status="published")

    api = client.get(f"/api/articles/?{query}")
    assert api.status_code == 400
    detail = api.json()["detail"]
    assert "Choose a year between 1800 and" in detail or detail.startswith("year: ")

    page = client.get(f"/articles/?{query}")
    assert page.status_code in (200, 400)
    assert "Choose a year between 1800 and" in page.content.decode()
