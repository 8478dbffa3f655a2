"""Who appears together: articles mentioning *all* of the chosen politicians (``together=1``),
with a politician facet of the people those articles also mention, in the browser, the feeds,
the CSV and the API; the any-of mode as before."""

import csv
import io
import re

import pytest
from django.db import connection

from articles.models import Mention
from tests.factories import ArticleFactory, MentionFactory, PoliticianFactory, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    names = {
        "corbyn": "Jeremy Corbyn",
        "abbott": "Diane Abbott",
        "benn": "Hilary Benn",
        "blair": "Tony Blair",
    }
    politicians = {
        key: PoliticianFactory(name=name, slug=name.lower().replace(" ", "-"))
        for key, name in names.items()
    }
    stories = [
        ("Corbyn and Abbott", ["corbyn", "abbott"]),
        ("Corbyn alone", ["corbyn"]),
        ("Abbott alone", ["abbott"]),
        ("Corbyn, Abbott and Benn", ["corbyn", "abbott", "benn"]),
        ("Corbyn and Benn", ["corbyn", "benn"]),
        ("Blair alone", ["blair"]),
    ]
    for day, (headline, who) in enumerate(stories, start=1):
        article = ArticleFactory(headline=headline, published_at=on(2016, 6, day))
        for key in who:
            MentionFactory(article=article, politician=politicians[key], role=Mention.Role.SUBJECT)
    return politicians


def headlines(response):
    return set(
        re.findall(r'<h3 class="card-title"><a [^>]*>([^<]+)</a>', response.content.decode())
    )


def shown_total(response):
    return response.context["counts"].total


def politician_options(response):
    facet = response.context["counts"].facet("politician")
    return {o.label: (o.count, o.url, o.selected) for o in facet.options}


ANY = "/articles/?politician=jeremy-corbyn&politician=diane-abbott"


def test_two_politicians_any_of_them_by_default_and_all_of_them_together(client, people):
    assert shown_total(client.get(ANY)) == 5
    together = client.get(ANY + "&together=1")
    assert together.status_code == 200
    assert shown_total(together) == 2
    page = together.content.decode()
    assert "Corbyn and Abbott" in page and "Corbyn, Abbott and Benn" in page
    assert "Corbyn alone" not in page and "Abbott alone" not in page
    assert "Articles mentioning both Jeremy Corbyn and Diane Abbott" in page


def test_the_facet_offers_the_people_in_the_results_with_what_adding_them_gives(client, people):
    response = client.get("/articles/?politician=jeremy-corbyn&together=1")
    options = politician_options(response)
    assert options["Jeremy Corbyn"][2] is True  # selected
    assert options["Diane Abbott"][0] == 2
    assert options["Hilary Benn"][0] == 2
    assert "Tony Blair" not in options  # never with Corbyn
    # Following an option gives exactly the number it showed.
    for label in ("Diane Abbott", "Hilary Benn"):
        count, url, _ = options[label]
        assert "together=1" in url
        assert shown_total(client.get("/articles/" + url)) == count
    narrower = politician_options(client.get(ANY + "&together=1"))
    assert narrower["Hilary Benn"][0] == 1


def test_the_any_of_facet_is_unchanged_and_the_toggle_is_offered(client, people):
    response = client.get("/articles/?politician=jeremy-corbyn")
    options = politician_options(response)
    assert options["Diane Abbott"][0] == 4 + 1  # Corbyn's 4 and Abbott alone: what "or" adds
    page = response.content.decode()
    assert "All of them (who appears together)" in page
    assert "together=1" in page


def test_estimated_counts_together_follow_the_same_rule(client, people, settings):
    """Counted on the facet sample (every article sampled, so the estimates are exact)."""
    settings.FACET_SAMPLE_EVERY = 1
    settings.FACET_EXACT_UP_TO = 1
    from articles import derived

    derived.rebuild()
    response = client.get("/articles/?politician=jeremy-corbyn&together=1")
    facet = response.context["counts"].facet("politician")
    assert facet.estimated
    counts = {o.label: o.count for o in facet.options if not o.selected}
    assert counts["Diane Abbott"] == 2 and counts["Hilary Benn"] == 2


def test_feeds_csv_and_api_accept_together(client, people):
    query = "politician=jeremy-corbyn&politician=hilary-benn&together=1"
    feed = client.get(f"/feeds/articles/?{query}").content.decode()
    assert feed.count("<item>") == 2
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(f"/articles/export.csv?{query}").streaming_content).decode()
            )
        )
    )
    body = [r for r in rows[1:] if r and not r[0].startswith("#")]
    assert len(body) == 2
    api = client.get(f"/api/articles/?{query}").json()
    assert api["count"] == 2
    assert {a["headline"] for a in api["results"]} == {"Corbyn, Abbott and Benn", "Corbyn and Benn"}


def test_a_bad_together_value_is_a_notice_not_an_error(client, people):
    response = client.get(ANY + "&together=yes")
    assert response.status_code in (200, 400)
    assert "together=1" in response.content.decode()
    assert client.get("/api/articles/?politician=jeremy-corbyn&together=yes").status_code in (
        400,
        422,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans differ")
def test_together_costs_no_more_queries_than_any_of(client, people, django_assert_max_num_queries):
    client.get(ANY)  # warm the facet sample
    with django_assert_max_num_queries(25):
        client.get(ANY + "&together=1")
