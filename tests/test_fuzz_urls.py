"""Every public URL, fed generated junk in its path and query string, answers without a 5xx.

Each URL pattern gets at least 500 generated requests: real and unknown slugs, huge and negative
numbers, malformed dates, unicode and control characters (NUL included), broken percent escapes,
repeated keys, very long values and thousands of parameters. A view that raises fails the test
(the test client re-raises it), so does any answer of 500 or more.
"""

import datetime as dt
import os
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, Mention
from tests.factories import (
    ArticleFactory,
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

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "500"))  # 500 per URL pattern
# A fixed path that reads no parameters varies only in unknown parameters it ignores: a tenth of
# the cases covers that (the OpenAPI document alone took three minutes at 500).
FIXED_EXAMPLES = max(EXAMPLES // 10, 20)


def fuzz(examples):
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


POLITICIANS = ["douglas-carswell", "nigel-farage", "diane-abbott"]
PARTIES = ["conservative", "ukip", "labour"]
TOPICS = ["europe", "economy"]
SOURCES = ["daily-example", "weekly-example"]
ARTICLE = ("2014", "08", "28", "carswell-joins-ukip")
SLUGS = POLITICIANS + PARTIES + TOPICS + SOURCES + [ARTICLE[3]]


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """A tiny archive, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        con = PartyFactory(name="Conservative Party", slug="conservative", short_name="Con")
        ukip = PartyFactory(name="UK Independence Party", slug="ukip", short_name="UKIP")
        lab = PartyFactory(name="Labour Party", slug="labour", short_name="Lab")
        carswell = PoliticianFactory(name="Douglas Carswell", slug=POLITICIANS[0])
        farage = PoliticianFactory(name="Nigel Farage", slug=POLITICIANS[1])
        abbott = PoliticianFactory(name="Diane Abbott", slug=POLITICIANS[2])
        MembershipFactory(
            politician=carswell,
            party=con,
            start_date=dt.date(2005, 5, 5),
            end_date=dt.date(2014, 8, 27),
        )
        MembershipFactory(politician=carswell, party=ukip, start_date=dt.date(2014, 8, 28))
        MembershipFactory(politician=farage, party=ukip, start_date=dt.date(1993, 9, 3))
        MembershipFactory(politician=abbott, party=lab, start_date=None)
        OtherNameFactory(politician=carswell, name="Mr Carswell")
        RoleFactory(politician=carswell, title="MP for Clacton", start_date=dt.date(2010, 5, 6))
        RoleFactory(politician=farage, title="Leader of the UK Independence Party")
        europe = TopicFactory(name="Europe", slug=TOPICS[0])
        economy = TopicFactory(name="Economy", slug=TOPICS[1])
        daily = SourceFactory(name="The Daily Example", slug=SOURCES[0])
        weekly = SourceFactory(name="The Weekly Example", slug=SOURCES[1])
        articles = [
            ArticleFactory(
                headline="Carswell defends the Tories",
                published_at=on(2014, 3, 1),
                source=daily,
                topics=[europe],
            ),
            ArticleFactory(
                headline="Carswell joins UKIP",
                slug=ARTICLE[3],
                published_at=on(2014, 8, 28),
                source=weekly,
                topics=[europe, economy],
                url="https://example.org/carswell",
            ),
            ArticleFactory(headline="Farage and Abbott debate", published_at=on(2016, 6, 1)),
            ArticleFactory(headline="Unpublished", status=Article.Status.DRAFT),
        ]
        for article in articles[:2]:
            MentionFactory(article=article, politician=carswell, role=Mention.Role.SUBJECT)
        MentionFactory(article=articles[1], politician=farage, role=Mention.Role.QUOTED)
        MentionFactory(article=articles[2], politician=farage)
        MentionFactory(article=articles[2], politician=abbott, state=Mention.State.SUGGESTED)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def client(archive):
    return Client()


# Values ------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
CONTROL = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=5)
ODD_NUMBERS = st.sampled_from(
    [
        "0",
        "-0",
        "-1",
        "00",
        "1e9",
        "1.5",
        "NaN",
        "inf",
        "0x10",
        " 7 ",
        "+3",
        "9" * 400,
        "-" + "9" * 30,
        "２０１６",  # fullwidth digits
        "²⁰¹⁶",  # superscript digits: str.isdigit() says yes, int() says no
        "١٢",  # Arabic-Indic digits
        "\u00007",
        "2016\x00",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=1790, max_value=2210).map(str),
    st.integers(min_value=-3, max_value=15).map(str),
    ODD_NUMBERS,
)
DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.builds(
        lambda y, m, d: f"{y}-{m}-{d}",
        st.integers(-99999, 99999),
        st.integers(-2, 40),
        st.integers(-2, 40),
    ),
    st.sampled_from(
        [
            "2016-02-30",
            "2016-13-01",
            "2016-6-28",
            "28/06/2016",
            "2016-06-28T12:00",
            "0000-00-00",
            "9999-12-31",
            "0001-01-01",
            "2016-06",
            "2016",
            "yesterday",
            "2016-06-28\x00",
        ]
    ),
)
UNKNOWN_SLUGS = st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z")
REAL_SLUGS = st.sampled_from(SLUGS)
LONG = st.one_of(
    st.integers(200, 20_000).map(lambda n: "a" * n),
    st.tuples(TEXT, st.integers(10, 500)).map(lambda p: p[0] * p[1]),
)
VALUES = st.one_of(
    REAL_SLUGS,
    UNKNOWN_SLUGS,
    NUMBERS,
    DATES,
    TEXT,
    CONTROL,
    LONG,
    st.sampled_from(
        ["", " ", "subject", "quoted", "mentioned", "newest", "oldest", "relevance", "coverage"]
        + ["name", "politicians", "1", "true", "on", "<script>", "' OR 1=1 --", "%", "\\"]
    ),
)
# Pieces of query string sent as they are, without escaping.
RAW = st.sampled_from(
    ["%", "%Z", "%ZZ", "%00", "%FF%FE", "%C0%AF", "%E2%80%A8", "&&", "==", "a=b=c", ";", "+", "&="]
)

BROWSER_KEYS = ["q", "politician", "party", "topic", "source", "role", "year", "month"]
BROWSER_KEYS += ["from", "to", "sort", "page", "show"]
POLITICIAN_LIST_KEYS = ["q", "party", "ever", "sort", "page"]
POLITICIAN_KEYS = ["year", "topic", "role", "order", "page", "with"]
API_ARTICLE_KEYS = BROWSER_KEYS + ["page_size"]
API_POLITICIAN_KEYS = ["q", "party", "page", "page_size"]


def _escape(text):
    return quote(text, safe="")


@st.composite
def query_strings(draw, keys):
    """A raw query string over ``keys`` (and a few others)."""
    names = st.sampled_from([*keys, "x", "page"]) if keys else st.sampled_from(["x", "q"])
    if draw(st.integers(0, 24)) == 0:
        # Thousands of parameters, around and above the number Django parses.
        count = draw(st.integers(900, 4000))
        key = _escape(draw(names))
        value = _escape(draw(st.one_of(REAL_SLUGS, NUMBERS)))
        return "&".join(f"{key}={value}" for _ in range(count))
    pairs = draw(
        st.lists(
            st.tuples(st.one_of(names, names, names, TEXT), VALUES.map(_escape) | RAW),
            max_size=8,
        )
    )
    parts = [f"{_escape(key)}={value}" for key, value in pairs]
    if draw(st.booleans()):
        # Repeat a key with several values.
        key = draw(names)
        values = draw(st.lists(VALUES, min_size=2, max_size=25))
        parts += [f"{_escape(key)}={_escape(v)}" for v in values]
    if parts and draw(st.integers(0, 9)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(RAW))
    return "&".join(parts)


SEGMENTS = st.one_of(REAL_SLUGS, REAL_SLUGS, UNKNOWN_SLUGS, NUMBERS, TEXT, CONTROL, LONG, RAW).map(
    lambda s: s if s.startswith("%") else _escape(s)
)
ARTICLE_DATES = st.one_of(
    st.just(ARTICLE[:3]),
    st.tuples(NUMBERS, NUMBERS, NUMBERS),
    st.tuples(
        st.integers(-(10**20), 10**20).map(str),
        st.sampled_from(["1", "01", "08", "12", "13", "00", "-1", "٠٨"]),
        st.sampled_from(["1", "28", "29", "31", "32", "00", "-1", "٢٨"]),
    ),
)


@st.composite
def slug_paths(draw, template):
    return template.format(draw(SEGMENTS))


@st.composite
def article_paths(draw, template):
    year, month, day = (_escape(part) for part in draw(ARTICLE_DATES))
    return template.format(year=year, month=month, day=day, slug=draw(SEGMENTS))


FIXED_PATHS = []


def fixed(path):
    FIXED_PATHS.append(strategy := st.just(path))
    return strategy


def slugged(template):
    return slug_paths(template)


PATTERNS = {
    # Readers' pages
    "home": (fixed("/"), []),
    "browser": (fixed("/articles/"), BROWSER_KEYS),
    "article": (article_paths("/articles/{year}/{month}/{day}/{slug}/"), []),
    "politicians": (fixed("/politicians/"), POLITICIAN_LIST_KEYS),
    "politician": (slugged("/politicians/{}/"), POLITICIAN_KEYS),
    "parties": (fixed("/parties/"), []),
    "compare": (fixed("/compare/"), ["politician", "party", "add"]),
    "compare-csv": (fixed("/compare/data.csv"), ["politician", "party"]),
    "compare-json": (fixed("/compare/data.json"), ["politician", "party"]),
    "party": (slugged("/parties/{}/"), []),
    "topic": (slugged("/topics/{}/"), BROWSER_KEYS),
    "source": (slugged("/sources/{}/"), BROWSER_KEYS),
    # Feeds
    "feed-articles": (fixed("/feeds/articles/"), BROWSER_KEYS),
    "feed-articles-atom": (fixed("/feeds/articles/atom/"), BROWSER_KEYS),
    "feed-politician": (slugged("/feeds/politicians/{}/"), []),
    "feed-politician-atom": (slugged("/feeds/politicians/{}/atom/"), []),
    "feed-party": (slugged("/feeds/parties/{}/"), []),
    "feed-party-atom": (slugged("/feeds/parties/{}/atom/"), []),
    "feed-topic": (slugged("/feeds/topics/{}/"), []),
    "feed-topic-atom": (slugged("/feeds/topics/{}/atom/"), []),
    # Exports
    "articles-csv": (fixed("/articles/export.csv"), BROWSER_KEYS),
    "popolo": (fixed("/export/popolo.json"), []),
    "timeline-json": (slugged("/politicians/{}/timeline.json"), []),
    "timeline": (slugged("/politicians/{}/timeline/"), []),
    "sitemap": (fixed("/sitemap.xml"), ["p"]),
    "sitemap-section": (
        st.one_of(st.sampled_from(["articles", "politicians", "parties", "topics"]), SEGMENTS).map(
            "/sitemap-{}.xml".format
        ),
        ["p"],
    ),
    "robots": (fixed("/robots.txt"), []),
    "healthz": (fixed("/healthz"), []),
    # API
    "api-articles": (fixed("/api/articles/"), API_ARTICLE_KEYS),
    "api-article": (
        st.one_of(st.integers(-(10**25), 10**25).map(str), SEGMENTS).map(
            "/api/articles/{}/".format
        ),
        [],
    ),
    "api-politicians": (fixed("/api/politicians/"), API_POLITICIAN_KEYS),
    "api-politician": (slugged("/api/politicians/{}/"), []),
    "api-parties": (fixed("/api/parties/"), []),
    "api-party": (slugged("/api/parties/{}/"), []),
    "api-topics": (fixed("/api/topics/"), []),
    "api-sources": (fixed("/api/sources/"), []),
    "api-openapi": (fixed("/api/openapi.json"), []),
}


def requests(paths, keys):
    return st.tuples(paths, query_strings(keys))


@pytest.mark.parametrize("name", PATTERNS)
def test_no_generated_request_gets_a_server_error(client, name):
    paths, keys = PATTERNS[name]
    only_unknown_parameters = not keys and any(paths is path for path in FIXED_PATHS)

    @fuzz(FIXED_EXAMPLES if only_unknown_parameters else EXAMPLES)
    @given(request=requests(paths, keys))
    def check(request):
        path, query = request
        response = client.get(path, QUERY_STRING=query)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code < 500, (path, query[:300], response.status_code)

    check()


def test_the_strategies_reach_real_pages(client):
    """The archive resolves: real slugs give pages, so the fuzzing exercises the views."""
    for path in [
        "/politicians/douglas-carswell/",
        "/parties/ukip/",
        "/articles/2014/08/28/carswell-joins-ukip/",
        "/feeds/topics/europe/",
        "/politicians/nigel-farage/timeline.json",
        "/api/parties/labour/",
    ]:
        assert client.get(path).status_code == 200, path
    assert client.get("/topics/economy/").status_code == 200
    assert client.get("/sources/daily-example/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/articles/?party=100%25",  # a % in an unknown slug broke the error message
        "/api/articles/?topic=%25s",
        "/articles/export.csv?source=%25d%25%25",
        "/feeds/articles/?q=%01",  # XML 1.0 has no control characters
        "/feeds/articles/atom/?q=a%0Bb",
        "/politicians/?q=a%00b",  # PostgreSQL text has no NUL
        "/politicians/douglas-carswell/?with=a%00b",
        "/api/politicians/%007/",
        "/politicians/douglas-carswell/?year=%C2%B2%E2%81%B0%C2%B9%E2%81%B6",  # ²⁰¹⁶
        "/politicians/douglas-carswell/?page=%C2%B2",
        "/politicians/?page=%C2%B2",
        "/articles/?page=%C2%B2",
    ],
)
def test_inputs_found_by_fuzzing_are_client_errors_or_pages(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code in {200, 400, 404}, url
