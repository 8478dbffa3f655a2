"""What a list, a feed, the API and a shared link say under an article's headline: the
standfirst, or else the body's first sentence, cut at a word."""

import html
import json
import re

import feedparser
import pytest

from articles.io.exports.common import SUMMARY_CHARS, first_sentence, summary, trimmed
from articles.models import Article
from tests.factories import ArticleFactory, MentionFactory, PoliticianFactory, on


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Labour won. The Tories lost.", "Labour won."),
        ("Mr. Corbyn said “no.” Then he left.", "Mr. Corbyn said “no.”"),
        ("J. K. Rowling gave £1m to Labour. It was big.", "J. K. Rowling gave £1m to Labour."),
        ("She went to No. 10 at noon. Then home.", "She went to No. 10 at noon."),
        ("Will he stay? Nobody knows.", "Will he stay?"),
        (
            "The vote was 52.1 per cent to leave. Turnout rose.",
            "The vote was 52.1 per cent to leave.",
        ),
        (
            "A first paragraph without an end\n\nThe second. Here.",
            "A first paragraph without an end",
        ),
        ("\n\n  Spaced   out\n line. Next.", "Spaced out line."),
        ("", ""),
    ],
)
def test_first_sentence(body, expected):
    assert first_sentence(body) == expected


def test_trimmed_cuts_at_a_word_and_says_so():
    text = "The prime minister, announcing the date, said the referendum would settle it."
    cut = trimmed(text, 40)
    assert cut == "The prime minister, announcing the …"
    assert len(cut) <= 40 and text.startswith(cut[:-2])
    assert trimmed(text, 200) == text
    assert trimmed("x" * 50, 10) == "x" * 9 + "…"


@pytest.mark.django_db
def test_summary_prefers_the_standfirst_and_reads_only_the_body_start_in_lists():
    ArticleFactory(standfirst="  Given.  ", body="Not this. Nor this.")
    ArticleFactory(standfirst="", body="First sentence here. Second one.\n\nMore.")
    ArticleFactory(standfirst="", body="word " * 500)
    from articles.io.exports.common import with_summary_text

    given, plain, long = with_summary_text(Article.objects.order_by("pk").defer("body"))
    assert summary(given) == "Given."
    assert summary(plain) == "First sentence here."
    assert len(summary(long)) <= SUMMARY_CHARS and summary(long).endswith("word …")
    assert "body" in plain.get_deferred_fields()  # the whole body was never loaded


@pytest.fixture
def without_standfirst(db):
    politician = PoliticianFactory(name="Anna Soubry")
    article = ArticleFactory(
        headline="Soubry leaves the Conservatives",
        standfirst="",
        body=(
            "Anna Soubry resigned from the Conservative Party on Wednesday to sit with the new "
            "Independent Group, saying the party had been taken over by its hard right and that "
            "she could no longer stand for it in her Broxtowe seat. "
            "She was joined by two colleagues.\n\nA second paragraph."
        ),
        published_at=on(2019, 2, 20),
    )
    MentionFactory(article=article, politician=politician)
    expected = (
        "Anna Soubry resigned from the Conservative Party on Wednesday to sit with the new "
        "Independent Group, saying the party had been taken over by its hard right and that "
        "she could no longer stand for it in her Broxtowe seat."
    )
    assert 200 < len(expected) <= SUMMARY_CHARS
    return article, expected


def card_texts(response):
    return [
        html.unescape(text)
        for text in re.findall(r'<p class="card-text">(.*?)</p>', response.content.decode())
    ]


def test_cards_on_the_home_page_and_the_browser_fall_back_to_the_first_sentence(
    client, without_standfirst
):
    article, expected = without_standfirst
    assert card_texts(client.get("/")) == [expected]
    assert card_texts(client.get("/articles/")) == [expected]
    assert card_texts(client.get("/articles/", {"politician": "anna-soubry"})) == [expected]


def test_og_description_feed_and_api_say_the_same(client, without_standfirst):
    article, expected = without_standfirst
    page = client.get(article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:description" content="([^"]*)">', page)[1]
    assert html.unescape(og) == trimmed(expected, 200)
    assert len(html.unescape(og)) <= 200 and html.unescape(og).endswith(" …")
    description = re.search(r'<meta name="description" content="([^"]*)">', page)[1]
    assert html.unescape(description) == html.unescape(og)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["description"] == expected

    feed = feedparser.parse(client.get("/feeds/articles/").content)
    assert html.unescape(feed.entries[0].summary) == expected
    api = client.get("/api/articles/").json()
    assert [item["summary"] for item in api["results"]] == [expected]


def test_every_demo_article_has_a_one_sentence_standfirst_of_its_own():
    from django.conf import settings

    path = settings.BASE_DIR / "articles" / "demo" / "articles.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    assert records
    standfirsts = [r.get("standfirst", "") for r in records]
    assert len(set(standfirsts)) == len(records)
    for record, standfirst in zip(records, standfirsts, strict=True):
        assert standfirst, f"no standfirst: {record['headline']}"
        assert first_sentence(standfirst) == standfirst, f"more than one sentence: {standfirst}"
        assert len(standfirst) <= SUMMARY_CHARS
        assert standfirst != first_sentence(record["body"]), "not just the body's opening"


def test_politician_timeline_and_party_page_lists_fall_back_too(client, without_standfirst):
    from tests.factories import MembershipFactory, PartyFactory

    article, expected = without_standfirst
    politician = article.mentions.get().politician
    party = PartyFactory(name="Change UK")
    MembershipFactory(politician=politician, party=party, start_date=article.published_at.date())
    article.save()  # the mention takes the party of the article's date

    def summaries(url):
        page = client.get(url).content.decode()
        return [html.unescape(t) for t in re.findall(r'<p class="tl-summary">(.*?)</p>', page)]

    assert summaries(politician.get_absolute_url()) == [expected]
    assert summaries(party.get_absolute_url()) == [expected]
