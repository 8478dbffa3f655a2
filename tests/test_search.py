"""Full-text search: the same searches give the same articles on SQLite (FTS5) and PostgreSQL.

The CI runs this file on both databases; every case here runs on whichever one the suite uses.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.backends.postgresql import websearch_text
from articles.backends.sqlite import SEARCH_TABLE, fts5_match
from articles.models import Article, FacetSample
from articles.search import STOP_WORDS, parse, words_of
from tests.factories import ArticleFactory, on

pytestmark = pytest.mark.django_db

CORPUS = {
    "corbyn": ("Corbyn wins Labour leadership", "", "Jeremy Corbyn won the election to lead."),
    "farage": (
        "Farage hails referendum",
        "Ukip chief speaks",
        "Nigel Farage spoke after a vote of confidence in the campaign.",
    ),
    "may": ("May meets the mayor", "", "Theresa May met the mayor of London on Tuesday."),
    "mayor": ("Mayor opens bridge", "", "The mayor of London opened a new bridge."),
    "wales": ("Elections in Wales", "Voters went to the polls", "Two elections were held."),
    "blue-labour": ("Labour conservative wing meets", "", "Blue Labour thinkers gathered."),
    "debate": ("Conservative and Labour leaders debate", "", "Both spoke about the budget."),
    "budget": ("Budget", "", "Budget day: the budget was the budget."),
}
EVERY = set(CORPUS)


@pytest.fixture
def corpus():
    articles = {}
    for day, (key, (headline, standfirst, body)) in enumerate(CORPUS.items(), start=1):
        articles[key] = ArticleFactory(
            headline=headline,
            standfirst=standfirst,
            body=body,
            published_at=on(2016, 6, day),
        )
    return articles


def found(text):
    by_id = {a.pk: a.headline for a in Article.objects.all()}
    keys = {headline: key for key, (headline, _s, _b) in CORPUS.items()}
    return {keys[by_id[pk]] for pk in Article.objects.search(text).values_list("pk", flat=True)}


SEARCHES = [
    # Words are ANDed, any case.
    ("corbyn", {"corbyn"}),
    ("CORBYN", {"corbyn"}),
    ("corbyn farage", set()),
    ("labour conservative", {"blue-labour", "debate"}),
    # "or" / "OR" between alternatives, each a group of words that must all be there.
    ("corbyn or farage", {"corbyn", "farage"}),
    ("corbyn OR farage", {"corbyn", "farage"}),
    ("leaders or mayor london", {"debate", "may", "mayor"}),
    ("or corbyn or", {"corbyn"}),
    # Phrases: the words in this order.
    ('"vote of confidence"', {"farage"}),
    ('"confidence vote"', set()),
    ("confidence vote", {"farage"}),
    ('"labour conservative"', {"blue-labour"}),
    ('"mayor of london', {"may", "mayor"}),  # an unclosed quote runs to the end
    # Exclusion.
    ("mayor -may", {"mayor"}),
    ('london -"theresa may"', {"mayor"}),
    ("-budget", EVERY - {"budget", "debate"}),
    ("farage or -london", EVERY - {"may", "mayor"}),
    # Stemming, whole words only.
    ("election", {"corbyn", "wales"}),
    ("elections", {"corbyn", "wales"}),
    ("voting", {"farage"}),
    ("may", {"may"}),
    ("mayors", {"may", "mayor"}),
    # Stop words are left out, as PostgreSQL's English configuration leaves them out.
    ("an", set()),
    ("the", set()),
    ("the mayor", {"may", "mayor"}),
    ("corbyn AND farage", set()),
    # Nonsense never errors.
    ("*", set()),
    ("corbyn*", {"corbyn"}),
    ("corbyn)", {"corbyn"}),
    ("NEAR(", set()),
    ("NEAR(corbyn farage)", set()),
    ("-", set()),
    ("--", set()),
    ('-"', set()),
    ("OR", set()),
    ("or or OR", set()),
    ('"', set()),
    ('""', set()),
    ("headline:corbyn", set()),
    ("^corbyn +farage", set()),
    ("' OR 1=1 --", set()),
    ("corbyn \\ ' ; {", {"corbyn"}),
    ("corbyn " + "x" * 4993, {"corbyn"}),
    (('(" NEAR -OR * ' * 400)[:5000], set()),
    ("ünïcode ½ 日本", set()),
]


@pytest.mark.parametrize("text, expected", SEARCHES)
def test_search_finds_the_same_articles_on_every_database(corpus, settings, text, expected):
    from articles.derived import sample

    assert found(text) == expected
    # The facet sample's search (estimated counts) agrees.
    settings.FACET_SAMPLE_EVERY = 1
    sample.rebuild()
    sampled = set(FacetSample.objects.search(text).values_list("pk", flat=True))
    assert sampled == {corpus[key].pk for key in expected}


@pytest.mark.parametrize("text, expected", SEARCHES)
def test_browser_feeds_and_api_answer_every_search_without_error(client, corpus, text, expected):
    page = client.get("/articles/", {"q": text})
    if len(text) > 200:
        assert page.status_code == 400
        assert "Search for at most 200 characters." in page.content.decode()
    elif parse(text):
        assert page.status_code == 200
        assert page.context["counts"].total == len(expected)
        shown = {a.pk for a in page.context["page_obj"].object_list}
        assert shown == {corpus[key].pk for key in expected}
    else:
        assert page.status_code == 400
        assert "has no words to search for" in page.content.decode()
    for url in ["/feeds/articles/", "/api/articles/", "/articles/export.csv"]:
        assert client.get(url, {"q": text}).status_code in {200, 400}, url


def test_a_search_of_common_words_only_says_so(client, corpus):
    response = client.get("/articles/", {"q": "an"})
    assert response.status_code == 400
    assert "“an” has no words to search for" in response.content.decode()
    api = client.get("/api/articles/", {"q": "the"})
    assert api.status_code == 400
    assert "no words to search for" in api.json()["detail"]


# Relevance and snippets


def test_relevance_puts_the_most_and_the_weightiest_matches_first(client):
    ArticleFactory(
        headline="Other", standfirst="", body="A word on brexit.", published_at=on(2016, 1, 3)
    )
    ArticleFactory(
        headline="Brexit", standfirst="", body="Something else.", published_at=on(2016, 1, 1)
    )
    ArticleFactory(
        headline="Again",
        standfirst="",
        body="Brexit, brexit and brexit.",
        published_at=on(2016, 1, 2),
    )
    newest = client.get("/articles/", {"q": "brexit"}).context["page_obj"].object_list
    assert [a.headline for a in newest] == ["Other", "Again", "Brexit"]
    ranked = client.get("/articles/", {"q": "brexit", "sort": "relevance"})
    assert ranked.status_code == 200
    # A headline weighs more than the body (ts_rank's weights A and C: 1.0 and 0.2, and
    # bm25's on SQLite), three times in the body more than once.
    headlines = [a.headline for a in ranked.context["page_obj"].object_list]
    assert headlines == ["Brexit", "Again", "Other"]


def test_relevance_of_a_search_of_excluded_words_keeps_every_result(client, corpus):
    ranked = client.get("/articles/", {"q": "-budget", "sort": "relevance"})
    assert ranked.status_code == 200
    assert ranked.context["counts"].total == len(EVERY) - 2


def test_snippets_and_headlines_mark_the_words_found_and_escape_the_text(client, corpus):
    ArticleFactory(
        headline="Tories & <b>rivals</b> on the budgets",
        standfirst="",
        body="Tories & <b>rivals</b> argued over the budget <script>alert(1)</script> again.",
        published_at=on(2017, 1, 1),
    )
    html = client.get("/articles/", {"q": "budget"}).content.decode()
    assert "<mark>budget</mark>" in html.lower()
    assert "<mark>budgets</mark>" in html  # the headline, marked by stem
    assert "<b>" not in html
    assert "<script>alert" not in html
    assert "&lt;b&gt;rivals&lt;/b&gt;" in html  # the headline, escaped
    assert "Tories &amp;" in html


def test_marks_follow_stems_and_whole_words(client, corpus):
    html = client.get("/articles/", {"q": "may"}).content.decode()
    assert "<mark>May</mark> meets the mayor" in html
    assert "<mark>mayor" not in html.lower()
    html = client.get("/articles/", {"q": "elections"}).content.decode()
    assert "<mark>Elections</mark> in Wales" in html
    assert "<mark>election</mark>" in html  # in Corbyn's body snippet
    assert "<mark>elections</mark> were held" in html


# The index keeps in step with the articles


def test_the_index_follows_edits_deletions_and_imports(corpus, tmp_path):
    article = corpus["corbyn"]
    article.body = "Jeremy Corbyn spoke about the railways."
    article.save()
    assert found("railways") == {"corbyn"}
    assert found("election") == {"wales"}
    article.status = Article.Status.DRAFT  # a save that leaves the text alone
    article.save()
    assert found("railways") == {"corbyn"}
    corpus["wales"].delete()
    assert found("election") == set()

    path = tmp_path / "new.jsonl"
    line = {
        "headline": "Imported about the railways",
        "body": "Trains.",
        "published_at": "2016-07-01",
        "source": "Wire",
    }
    path.write_text(json.dumps(line) + "\n")
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Article.objects.search("trains").get().headline == "Imported about the railways"
    if connection.vendor == "sqlite":
        _check_sqlite_index()


def _check_sqlite_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
            "'articles_article' ORDER BY name"
        )
        triggers = [row[0] for row in cursor.fetchall()]
        # Raises "database disk image is malformed" if the index and the rows disagree.
        cursor.execute(
            f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
    assert triggers == [f"{SEARCH_TABLE}_{op}" for op in ("delete", "insert", "update")]


def test_sqlite_index_and_triggers_survive_every_migration(corpus):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its search vector (migration 0002)")
    _check_sqlite_index()


# One parser, two renderings

RENDERINGS = [
    ("corbyn", '"corbyn"', '("corbyn")', []),
    ("corbyn or farage -labour", '"corbyn" or "farage" -"labour"', None, []),
    ('"vote of confidence"', '"vote of confidence"', '("vote of confidence")', []),
    ('"the vote"', '"the vote"', '("vote")', []),
    ("-may -mayor", '-"may" -"mayor"', None, ['("may" OR "mayor")']),
    ('say "a ""quote', '"say" "quote"', '("say" AND "quote")', []),
]


@pytest.mark.parametrize("text, websearch, fts5, excluded", RENDERINGS)
def test_one_query_rendered_for_each_database(text, websearch, fts5, excluded):
    query = parse(text)
    assert websearch_text(query) == websearch
    wanted, not_matching = fts5_match(query)
    if fts5 is not None:
        assert wanted == fts5
    assert not_matching == excluded


def test_fts5_rendering_of_a_mixed_query():
    wanted, excluded = fts5_match(parse("corbyn or farage -labour"))
    assert wanted == '("corbyn") OR (("farage") NOT "labour")'
    assert excluded == []


@pytest.mark.parametrize(
    "text",
    [
        "corbyn or farage",
        "a1 b1 or c1 d1",
        '"vote of confidence" -may',
        "x1 or the y1",
        "foo bar 3.14",
        'corbyn -"theresa may" or elections',
    ],
)
def test_postgresql_reads_the_rendering_as_it_reads_the_search(text):
    if connection.vendor != "postgresql":
        pytest.skip("websearch_to_tsquery is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT websearch_to_tsquery('english', %s)::text, "
            "websearch_to_tsquery('english', %s)::text",
            [text, websearch_text(parse(text))],
        )
        original, rendered = cursor.fetchone()
    assert rendered == original


def test_a_hyphenated_word_is_searched_as_its_words_on_both_databases():
    """ "labour-led" finds "Labour led" and "Labour-led" alike, as SQLite's index does
    (PostgreSQL alone would also ask for the compound word)."""
    spaced = ArticleFactory(headline="A Labour led council", body="Text.")
    hyphenated = ArticleFactory(headline="A Labour-led council", body="Text.")
    found = set(Article.objects.search("labour-led").values_list("pk", flat=True))
    assert found == {spaced.pk, hyphenated.pk}


def test_stop_words_are_postgresqls():
    if connection.vendor != "postgresql":
        pytest.skip("checked against PostgreSQL's English configuration")
    words = sorted(
        STOP_WORDS
        | {w for texts in CORPUS.values() for t in texts for w in words_of(t)}
        | {"may", "might", "would", "also", "could", "yes", "x"}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, to_tsvector('english', w) = ''::tsvector FROM unnest(%s::text[]) w",
            [words],
        )
        dropped = {word for word, stop in cursor.fetchall() if stop}
    assert dropped == {w for w in words if w in STOP_WORDS}


# Any text: no error, and the articles an independent reading of the query finds.

VOCABULARY = ["corbyn", "farage", "labour", "elections", "election", "vote", "voting", "may"]
VOCABULARY += ["mayor", "london", "budget", "wales", "confidence", "the", "of", "an", "AND"]
PUNCTUATION = ["*", "(", ")", "NEAR(", "^", "+", ":", ";", "'", "\\", "{", "}", ".", ","]
PIECES = st.one_of(
    st.sampled_from(VOCABULARY),
    st.sampled_from(["or", "OR", "-", '"', '-"']),
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(PUNCTUATION)).map("".join),
    st.tuples(st.sampled_from(PUNCTUATION), st.sampled_from(VOCABULARY)).map("".join),
    st.sampled_from(["-" + w for w in VOCABULARY]),
)
SEARCH_TEXT = st.lists(
    st.tuples(PIECES, st.sampled_from([" ", " ", ""])), min_size=1, max_size=10
).map(lambda pieces: "".join(p + s for p, s in pieces))


def _stem(word):
    import snowballstemmer

    name = "english" if connection.vendor == "postgresql" else "porter"
    return snowballstemmer.stemmer(name).stemWord(word)


def _positions(article):
    """{stem: {position}} as each database indexes an article."""
    columns = [article.headline, article.standfirst, article.body]
    positions, offset = {}, 0
    for column in columns:
        words = words_of(column)
        stored = []
        for i, word in enumerate(words, start=1):
            if connection.vendor == "postgresql" and word in STOP_WORDS:
                continue  # not stored, but counted
            stored.append(i)
            positions.setdefault(_stem(word), set()).add(offset + i)
        # PostgreSQL joins the columns' vectors, shifting each by the last stored position
        # before it; FTS5 keeps columns apart (here: far apart).
        offset += max(stored, default=0) if connection.vendor == "postgresql" else 10_000
    return positions


def _has(term, positions):
    words = term.searched_words
    wanted = [
        (_stem(w), i)
        for i, w in enumerate(words)
        if not (connection.vendor == "postgresql" and w in STOP_WORDS)
    ]
    first_stem, first_at = wanted[0]
    return any(
        all(start - first_at + i in positions.get(stem, ()) for stem, i in wanted)
        for start in positions.get(first_stem, ())
    )


def _expected(query, articles):
    return {
        a.pk
        for a in articles
        if any(
            all(_has(t, _positions(a)) != t.excluded for t in group) for group in query.alternatives
        )
    }


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(SEARCH_TEXT)
def test_any_search_finds_what_its_terms_say(corpus, text):
    query = parse(text)
    assert set(Article.objects.search(text).values_list("pk", flat=True)) == _expected(
        query, Article.objects.all()
    )
    # Ranking and snippets run too.
    from articles.backends import backend

    if query:
        rank = backend().rank(text)
        list(Article.objects.search(text).annotate(rank=rank).order_by("-rank")[:5])
        snippet = backend().snippet(text, start="[", stop="]")
        if snippet is not None:
            list(Article.objects.search(text).annotate(snippet=snippet).values("snippet"))


def test_a_deep_page_cuts_snippets_for_its_own_rows_only(client, corpus):
    from django.test.utils import CaptureQueriesContext

    from articles.backends import backend
    from articles.web.templatetags.archive_tags import MARK_START, MARK_STOP

    for n in range(45):
        ArticleFactory(
            headline=f"Report {n}",
            standfirst="",
            body=f"Filler {n}. The economy grew in region {n}; jobs in the economy followed {n}.",
            published_at=on(2018, 1 + n % 12, 1 + n % 28),
        )
    snippet = backend().snippet("economy", start=MARK_START, stop=MARK_STOP)
    expected = dict(
        Article.objects.search("economy").annotate(snippet=snippet).values_list("pk", "snippet")
    )
    headline = "ts_headline" if connection.vendor == "postgresql" else "snippet("
    shown = []
    for page in ("1", "2", "3"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/articles/", {"q": "economy", "page": page})
        assert response.status_code == 200
        articles = list(response.context["page_obj"].object_list)
        assert [a.snippet for a in articles] == [expected[a.pk] for a in articles]
        assert all(MARK_START + "economy" + MARK_STOP in a.snippet for a in articles)
        cutting = [q["sql"] for q in queries.captured_queries if headline in q["sql"]]
        assert len(cutting) == 1  # one query for the page's rows, not one over skipped rows
        assert "OFFSET" not in cutting[0].upper()
        shown += [a.pk for a in articles]
    assert sorted(shown) == sorted(expected)  # every result once, each with its snippet
