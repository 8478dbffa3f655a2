import datetime as dt

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from articles.models import Article, Mention
from tests.factories import (
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

NOW = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def archive(db, frozen):
    con = PartyFactory(name="Conservative Party", short_name="Con", colour="#0087DC")
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP", colour="#70147A")
    switcher = PoliticianFactory(name="Douglas Carswell")
    MembershipFactory(
        politician=switcher,
        party=con,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=switcher, party=ukip, start_date=dt.date(2014, 8, 28))
    OtherNameFactory(politician=switcher, name="Mr Carswell")
    RoleFactory(politician=switcher, title="MP for Clacton", start_date=dt.date(2010, 5, 6))
    farage = PoliticianFactory(name="Nigel Farage")
    MembershipFactory(politician=farage, party=ukip, start_date=dt.date(1993, 9, 3))
    europe = TopicFactory(name="Europe")
    source = SourceFactory(name="The Daily Example")
    before = ArticleFactory(
        headline="Carswell defends the Tories",
        published_at=on(2014, 3, 1),
        topics=[europe],
        source=source,
    )
    after = ArticleFactory(headline="Carswell joins UKIP", published_at=on(2014, 8, 28))
    also = ArticleFactory(headline="Carswell again", published_at=on(2014, 8, 30))
    ArticleFactory(headline="Draft", status=Article.Status.DRAFT)
    MentionFactory(article=before, politician=switcher, role=Mention.Role.SUBJECT)
    MentionFactory(article=after, politician=switcher, role=Mention.Role.SUBJECT)
    MentionFactory(article=also, politician=switcher)
    MentionFactory(article=after, politician=farage, state=Mention.State.SUGGESTED)
    return locals()


def test_articles_list_with_mentions_and_party_on_the_date(client, archive):
    response = client.get("/api/articles/", {"politician": archive["switcher"].slug})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [a["headline"] for a in data["results"]] == [
        "Carswell again",
        "Carswell joins UKIP",
        "Carswell defends the Tories",
    ]
    parties = [a["mentions"][0]["party"]["slug"] for a in data["results"]]
    assert parties == [archive["ukip"].slug, archive["ukip"].slug, archive["con"].slug]
    joins = data["results"][1]
    assert [m["politician"]["name"] for m in joins["mentions"]] == ["Douglas Carswell"]
    assert joins["mentions"][0]["role"] == "subject"
    assert joins["date"] == "2014-08-28"
    assert joins["url"].endswith(archive["after"].get_absolute_url())


def test_articles_list_has_facet_counts(client, archive):
    data = client.get("/api/articles/", {"year": "2014"}).json()
    parties = {o["value"]: o["count"] for o in data["facets"]["party"]}
    assert parties == {archive["ukip"].slug: 2, archive["con"].slug: 1}


def test_articles_filter_by_author_with_its_facet(client, archive):
    jane = AuthorFactory(name="Jane Doe", slug="jane-doe")
    archive["after"].authors.add(jane)
    data = client.get("/api/articles/", {"author": "jane-doe"}).json()
    assert [a["headline"] for a in data["results"]] == [archive["after"].headline]
    assert data["facets"]["author"] == [
        {
            "value": "jane-doe",
            "label": "Jane Doe",
            "count": None,
            "selected": True,
            "estimate": False,
        }
    ]
    everything = client.get("/api/articles/").json()
    assert {o["value"]: o["count"] for o in everything["facets"]["author"]} == {"jane-doe": 1}
    assert client.get("/api/articles/", {"author": "nobody"}).status_code == 400
    schema = client.get("/api/openapi.json").json()
    parameters = schema["paths"]["/api/articles/"]["get"]["parameters"]
    assert "author" in {p["name"] for p in parameters}


def test_page_links_keep_the_query(client, archive):
    data = client.get("/api/articles/", {"year": "2014", "page_size": "2"}).json()
    assert data["count"] == 3 and len(data["results"]) == 2
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/articles/?year=2014&page_size=2&page=2"
    second = client.get(data["next"]).json()
    assert [a["headline"] for a in second["results"]] == ["Carswell defends the Tories"]
    assert second["next"] is None
    assert second["previous"].endswith("page=1")


@pytest.mark.parametrize(
    "query, status",
    [
        ({"party": "no-such-party"}, 400),
        ({"from": "28/06/2016"}, 400),
        ({"page": "0"}, 400),
        ({"page": "99"}, 404),
        ({"page_size": "1000"}, 400),
    ],
)
def test_bad_queries_are_client_errors_with_a_message(client, archive, query, status):
    response = client.get("/api/articles/", query)
    assert response.status_code == status
    assert response.json()["detail"]


def test_politician_detail(client, archive):
    response = client.get(f"/api/politicians/{archive['switcher'].slug}/")
    assert response.status_code == 200
    data = response.json()
    assert data["current_party"]["slug"] == archive["ukip"].slug
    assert [(m["party"]["slug"], m["start_date"], m["end_date"]) for m in data["memberships"]] == [
        (archive["con"].slug, "2005-05-05", "2014-08-27"),
        (archive["ukip"].slug, "2014-08-28", None),
    ]
    assert data["roles"] == [
        {
            "title": "MP for Clacton",
            "organisation": "",
            "start_date": "2010-05-06",
            "end_date": None,
        }
    ]
    assert data["other_names"][0]["name"] == "Mr Carswell"
    assert data["coverage"] == [
        {"month": "2014-03", "articles": 1},
        {"month": "2014-08", "articles": 2},
    ]
    assert client.get("/api/politicians/nobody/").status_code == 404


def test_politicians_parties_topics_sources(client, archive):
    politicians = client.get("/api/politicians/", {"party": archive["ukip"].slug}).json()
    assert [p["name"] for p in politicians["results"]] == ["Douglas Carswell", "Nigel Farage"]
    assert client.get("/api/politicians/", {"q": "Mr Carswell"}).json()["count"] == 1
    parties = client.get("/api/parties/").json()
    assert [p["short_name"] for p in parties] == ["Con", "UKIP"]
    party = client.get(f"/api/parties/{archive['ukip'].slug}/").json()
    assert {m["politician"]["name"] for m in party["members"]} == {
        "Douglas Carswell",
        "Nigel Farage",
    }
    topics = client.get("/api/topics/").json()
    assert topics == [
        {
            "slug": archive["europe"].slug,
            "name": "Europe",
            "url": "http://testserver/topics/europe/",
            "articles": 1,
        }
    ]
    sources = {s["name"]: s["articles"] for s in client.get("/api/sources/").json()}
    assert sources["The Daily Example"] == 1


def test_get_only_cacheable_and_open_to_other_origins(client, archive):
    response = client.get("/api/articles/")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60", "must-revalidate"}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/articles/").status_code == 405
    assert client.delete(f"/api/politicians/{archive['switcher'].slug}/").status_code == 405


def test_openapi_document(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/articles/",
        "/api/articles/{article_id}/",
        "/api/politicians/",
        "/api/politicians/{slug}/",
        "/api/parties/",
        "/api/parties/{slug}/",
        "/api/topics/",
        "/api/sources/",
    }
    assert all(set(item) == {"get"} for item in document["paths"].values())


def test_queries_do_not_grow_with_page_size(client, archive, django_assert_max_num_queries):
    for day in range(1, 25):
        article = ArticleFactory(published_at=on(2016, 1, day), topics=[archive["europe"]])
        MentionFactory(article=article, politician=archive["farage"])
    with django_assert_max_num_queries(20):
        client.get("/api/articles/", {"page_size": "50"})
    with django_assert_max_num_queries(4):
        client.get("/api/politicians/", {"page_size": "50"})


# Fuzzing against the OpenAPI document: no server errors, every response as documented.


FUZZ_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Filters the schema cannot express (a slug that names nothing, ``from`` after ``to``) are
# rightly refused with 400, so schemathesis' "valid data is accepted" check does not apply.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    checks.negative_data_rejection,
]


@pytest.fixture
def keep_test_connection():
    """Requests through the raw WSGI app must not close the test's connection (as the test
    client ensures for its own requests)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_api_conforms_to_its_openapi_document(archive, keep_test_connection):
    from newsroom.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    for operation in operations:

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()
