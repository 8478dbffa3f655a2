"""Finding people by a name typed slightly wrong: the politicians' list and the article search."""

import pytest
from django.db import connection

from tests.factories import ArticleFactory, OtherNameFactory, PoliticianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "corbyn": PoliticianFactory(name="Jeremy Corbyn", family_name="Corbyn"),
        "hunt": PoliticianFactory(name="Jeremy Hunt", family_name="Hunt"),
        "ed": PoliticianFactory(name="Ed Miliband", family_name="Miliband"),
        "david": PoliticianFactory(name="David Miliband", family_name="Miliband"),
        "may": PoliticianFactory(name="Theresa May", family_name="May"),
        "corbin": PoliticianFactory(name="Corbin Example", family_name="Example"),
    }


def found(client, q):
    response = client.get("/politicians/", {"q": q})
    assert response.status_code == 200
    return {p.name for p in response.context["politicians"]}


@pytest.mark.parametrize(
    "q, names",
    [
        # "corbin" is in one name and close to another: both are found.
        ("corbin", {"Jeremy Corbyn", "Corbin Example"}),
        ("jeremy corbin", {"Jeremy Corbyn"}),
        ("Jermey Corbyn", {"Jeremy Corbyn"}),
        ("milliband", {"Ed Miliband", "David Miliband"}),
        ("theresa", {"Theresa May"}),  # the words still find what they contain
        ("zzzz", set()),
    ],
)
def test_the_politicians_list_tolerates_small_misspellings(client, people, q, names):
    assert found(client, q) == names


def test_other_names_are_matched_too(client, people):
    OtherNameFactory(politician=people["may"], name="Theresa Brasier")
    assert found(client, "theresa brazier") == {"Theresa May"}


def test_the_same_answers_on_either_database(client, people):
    """Closeness is worked out in Python over the names, so the database does not matter:
    the answers above hold on SQLite and PostgreSQL alike (this module runs on both)."""
    assert connection.vendor in {"sqlite", "postgresql"}
    assert found(client, "corbyn") == found(client, "Corbyn") == {"Jeremy Corbyn", "Corbin Example"}


def test_searching_a_name_keeps_to_a_query_budget(client, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        found(client, "jeremy corbin")


@pytest.mark.parametrize(
    "q, offered",
    [
        ("Jeremy Corbyn", ["Jeremy Corbyn"]),
        ("jeremy corbin", ["Jeremy Corbyn"]),
        ("miliband", ["David Miliband", "Ed Miliband"]),
        ("corbyn brexit", []),  # more than a name: just a search
        ("referendum", []),
    ],
)
def test_the_article_search_offers_the_persons_page(client, people, q, offered):
    ArticleFactory(headline="Corbyn on the referendum", body="Jeremy Corbyn spoke on Brexit.")
    response = client.get("/articles/", {"q": q})
    assert response.status_code == 200
    assert sorted(p.name for p in response.context.get("named") or []) == offered
    html = response.content.decode()
    if offered:
        person = next(p for p in people.values() if p.name == offered[0])
        assert (
            f'Did you mean <a href="{person.get_absolute_url()}">{person.name}’s page</a>' in html
            or f'<a href="{person.get_absolute_url()}">{person.name}’s page</a>?' in html
        )
        results = html.find('class="result-list"')
        results = results if results >= 0 else html.index("No articles match")
        assert html.index("Did you mean") < results
    else:
        assert "Did you mean" not in html
