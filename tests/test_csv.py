import csv
import datetime as dt
import io

import pytest
import time_machine
from django.http import StreamingHttpResponse

from articles.io.exports.csv import HEADER, end_marker, safe_cell
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def rows(response):
    """The rows of a complete export, without its end marker (checked against the count)."""
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    *table, marker = list(csv.reader(io.StringIO(text)))
    assert marker == [f"# end of export: {len(table) - 1} articles"]
    return table


@pytest.fixture
def archive():
    con = PartyFactory(name="Conservative Party")
    ukip = PartyFactory(name="UK Independence Party")
    switcher = PoliticianFactory(name="Douglas Carswell")
    MembershipFactory(
        politician=switcher,
        party=con,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=switcher, party=ukip, start_date=dt.date(2014, 8, 28))
    farage = PoliticianFactory(name="Nigel Farage")
    MembershipFactory(politician=farage, party=ukip, start_date=dt.date(1993, 1, 1))
    europe, economy = TopicFactory(name="Europe"), TopicFactory(name="Economy")
    before = ArticleFactory(
        headline='=HYPERLINK("http://evil.example")',
        published_at=on(2014, 3, 1),
        url="https://news.example.org/a",
        topics=[europe, economy],
    )
    after = ArticleFactory(headline="Carswell joins UKIP", published_at=on(2014, 8, 28))
    ArticleFactory(headline="Draft", status=Article.Status.DRAFT)
    MentionFactory(article=before, politician=switcher)
    MentionFactory(article=after, politician=switcher)
    MentionFactory(article=after, politician=farage)
    return locals()


def test_csv_of_all_articles(client, archive):
    response = client.get("/articles/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="articles.csv"' in response["Content-Disposition"]
    header, *body = rows(response)
    assert header == HEADER
    assert len(body) == 2
    after, before = body
    assert after == [
        "Carswell joins UKIP",
        "2014-08-28",
        archive["after"].source.name,
        f"http://testserver{archive['after'].get_absolute_url()}",
        "",
        "Douglas Carswell; Nigel Farage",
        "UK Independence Party",
        "",
        "Douglas Carswell (UK Independence Party), mentioned; "
        "Nigel Farage (UK Independence Party), mentioned",
        "",
    ]
    # Party on the article's date: Carswell was still a Conservative in March 2014.
    assert before[1:] == [
        "2014-03-01",
        archive["before"].source.name,
        f"http://testserver{archive['before'].get_absolute_url()}",
        "https://news.example.org/a",
        "Douglas Carswell",
        "Conservative Party",
        "Economy; Europe",
        "Douglas Carswell (Conservative Party), mentioned",
        "",
    ]


def test_authors_column_and_filter(client, archive):
    jane, john = AuthorFactory(name="Jane Doe", slug="jane-doe"), AuthorFactory(name="John Roe")
    archive["after"].authors.add(jane, john)
    response = client.get("/articles/export.csv?author=jane-doe")
    assert 'filename="articles-jane-doe.csv"' in response["Content-Disposition"]
    header, *body = rows(response)
    assert [row[0] for row in body] == ["Carswell joins UKIP"]
    assert body[0][header.index("authors")] == "Jane Doe; John Roe"


def test_formula_cells_are_neutralised(client, archive):
    _, _, before = rows(client.get("/articles/export.csv"))
    assert before[0] == '\'=HYPERLINK("http://evil.example")'
    assert [safe_cell(v) for v in ("+1", "-1", "@x", "ok", "a=b", None)] == [
        "'+1",
        "'-1",
        "'@x",
        "ok",
        "a=b",
        "",
    ]


def test_csv_uses_the_browser_filters(client, archive):
    response = client.get(f"/articles/export.csv?party={archive['ukip'].slug}")
    assert [row[0] for row in rows(response)[1:]] == ["Carswell joins UKIP"]
    response = client.get(f"/articles/export.csv?party={archive['con'].slug}&sort=oldest")
    assert len(rows(response)) == 2


def test_bad_query_is_400(client, archive):
    response = client.get("/articles/export.csv?politician=nobody-at-all")
    assert response.status_code == 400
    assert b"nobody-at-all" in response.content


def test_queries_do_not_grow_with_the_result(client, archive, django_assert_max_num_queries):
    for day in range(1, 30):
        article = ArticleFactory(published_at=on(2016, 1, day), topics=[archive["europe"]])
        MentionFactory(article=article, politician=archive["farage"])
    with django_assert_max_num_queries(8):
        assert len(rows(client.get("/articles/export.csv"))) == 32


def test_an_export_ends_with_its_count(client, archive):
    text = client.get("/articles/export.csv").getvalue().decode()
    assert text.endswith("\r\n# end of export: 2 articles\r\n")
    assert end_marker(2) == "# end of export: 2 articles"
    empty = client.get("/articles/export.csv?year=1990").getvalue().decode()
    assert empty.splitlines() == [",".join(HEADER), "# end of export: 0 articles"]


def test_export_in_batches_matches_the_browser(client, archive, monkeypatch):
    """Many batches: every published article once, in the browser's order, each with its own
    mentions and topics."""
    from articles.io.exports import batches

    europe = archive["europe"]
    for day in range(1, 29):
        article = ArticleFactory(published_at=on(2016, 2, day), topics=[europe] * (day % 2))
        MentionFactory(article=article, politician=archive["farage"])
        if day % 3 == 0:
            MentionFactory(article=article, politician=archive["switcher"])
    monkeypatch.setattr(batches, "BATCH_SIZE", 3)
    table = rows(client.get("/articles/export.csv?sort=oldest"))
    expected = list(Article.objects.published().order_by("published_at", "id"))
    assert [row[3] for row in table[1:]] == [
        f"http://testserver{a.get_absolute_url()}" for a in expected
    ]
    for row, article in zip(table[1:], expected, strict=True):
        mentioned = article.mentions.confirmed().order_by("politician__sort_name")
        assert row[5] == "; ".join(m.politician.name for m in mentioned)
        assert row[6] == "; ".join(sorted({m.party.name for m in mentioned if m.party}))
        assert row[7] == "; ".join(sorted(t.name for t in article.topics.all()))


def test_the_file_name_says_what_was_selected(client, archive):
    def filename(query):
        response = client.get(f"/articles/export.csv?{query}")
        b"".join(response.streaming_content)  # read to the end: the export slot is free again
        return response["Content-Disposition"]

    farage, ukip = archive["farage"], archive["ukip"]
    assert f'filename="articles-{farage.slug}-2014.csv"' in filename(
        f"politician={farage.slug}&year=2014"
    )
    assert f'filename="articles-{farage.slug}-quoted.csv"' in filename(
        f"politician={farage.slug}&role=quoted"
    )
    assert f'filename="articles-{ukip.slug}-joins-ukip-2014-08.csv"' in filename(
        f"party={ukip.slug}&q=Joins+UKIP!&year=2014&month=8"
    )
    assert 'filename="articles-from-2014-01-01-to-2014-12-31.csv"' in filename(
        "from=2014-01-01&to=2014-12-31"
    )


def test_each_person_with_party_on_the_date_and_role(client, archive):
    article = ArticleFactory(headline="Quoted", published_at=on(2014, 1, 2))
    MentionFactory(article=article, politician=archive["farage"], role="quoted")
    MentionFactory(article=article, politician=PoliticianFactory(name="No Party"), role="subject")
    table = rows(client.get("/articles/export.csv?q=Quoted"))
    people = table[0].index("people")
    assert table[1][people] == "Nigel Farage (UK Independence Party), quoted; No Party, subject"
