"""Markup typed into any field an editor can fill comes out as text everywhere it is shown.

Every text field gets a payload of script tags, event-handler attributes, broken quotes, a
template expression, a CDATA end and unicode line separators; URL fields get ``javascript:``
URLs. The records are written through the ORM (past the admin's validation) and then every
page, feed, export and API response that shows them is checked: no injected element or
attribute, no ``javascript:`` link, no way out of a JSON script block, and the payload still
there as text.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

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
from tests.test_admin import article_data

pytestmark = pytest.mark.django_db

ATTACK = (
    "<script>alert(1)</script>"
    '"><img src=x onerror=alert(1)>'
    "' onmouseover='alert(1)"
    "</title><script>{{7*7}} ]]> \u2028\u2029 </script>"
)
JS_URL = "javascript:alert(1)"
SHORT_ATTACK = '"><img src=x onerror=alert(1)>'  # fits short fields (max 50)


def payload(field):
    """The attack, tagged with the field it was typed into."""
    return f"{field}: {ATTACK}"


TOPIC = payload("topic")[:100]  # the longest topic name there can be


@pytest.fixture
def hostile():
    """One of everything, every text field holding the attack."""
    party = PartyFactory(
        name=payload("party name"),
        short_name=SHORT_ATTACK,
        description=payload("party description"),
        colour='"><i x',
    )
    politician = PoliticianFactory(
        name=payload("politician name"),
        given_name=payload("given name")[:90],
        family_name=payload("family name")[:90],
        biography=payload("biography"),
        image_url=JS_URL,
        wikidata_id='Q1"><b>',
    )
    OtherNameFactory(politician=politician, name=payload("other name"))
    MembershipFactory(politician=politician, party=party, start_date=on(2000, 1, 1).date())
    RoleFactory(
        politician=politician,
        title=payload("role title"),
        organisation=payload("role organisation"),
        start_date=on(2010, 1, 1).date(),
    )
    source = SourceFactory(name=payload("source name"), homepage=JS_URL)
    topic = TopicFactory(name=TOPIC)
    article = ArticleFactory(
        headline=payload("headline"),
        standfirst=payload("standfirst") + " alert",
        body=payload("body") + "\n\n" + payload("second paragraph"),
        byline=payload("byline"),
        url=JS_URL,
        source=source,
        published_at=on(2016, 6, 28),
        topics=[topic],
    )
    MentionFactory(article=article, politician=politician, role=Mention.Role.SUBJECT)
    return {
        "article": article,
        "politician": politician,
        "party": party,
        "topic": topic,
        "source": source,
    }


class Page(HTMLParser):
    """The elements, attributes, scripts and text of an HTML page."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.scripts, self.text = [], [], [], []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self._script = (dict(attrs), [])

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            attrs, parts = self._script
            self.scripts.append((attrs, "".join(parts)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        else:
            self.text.append(data)


def shown(field):
    """The start of a field's payload, as a page shows it (cards shorten and fold spaces)."""
    return f'{field}: <script>alert(1)</script>"><img src=x onerror=alert(1)>'


def assert_safe_html(html, *expected_text):
    """Nothing injected: no new elements or handlers, no javascript: links, sealed JSON."""
    for raw in ["<script>alert", "<img src=x", "</title><script", "<i x", "<b>"]:
        assert raw not in html
    page = Page(html)
    assert "img" not in page.tags or all(
        value != "x" for tag, name, value in page.attributes if tag == "img" and name == "src"
    )
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name, value)
        if name in {"href", "src", "action", "formaction", "srcset", "poster", "data"}:
            assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
        if name == "style":
            assert '"' not in value and "<" not in value, (tag, value)
    for attrs, content in page.scripts:
        if "src" in attrs:
            assert not content.strip()
            continue
        # The only inline scripts are data blocks, and their JSON parses whole.
        assert attrs.get("type") in {"application/ld+json", "application/json"}, attrs
        assert "</" not in content
        json.loads(content)
    text = "".join(page.text)
    for expected in expected_text:
        assert expected in text, f"{expected[:40]!r} is not shown as text"
    return page


def get_html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_readers_pages_show_the_payload_as_text(client, hostile):
    article, politician, party = hostile["article"], hostile["politician"], hostile["party"]
    pages = {
        "/": [shown("headline"), shown("politician name")],
        "/articles/": [shown("headline"), shown("standfirst"), shown("politician name")],
        article.get_absolute_url(): [
            shown("headline"),
            shown("standfirst"),
            shown("body"),
            shown("second paragraph"),
            shown("byline"),
            shown("source name"),
            shown("topic"),
            shown("politician name"),
        ],
        politician.get_absolute_url(): [
            shown("politician name"),
            shown("other name"),
            shown("biography"),
            shown("party name"),
            shown("role title"),
            shown("headline"),
        ],
        "/politicians/": [shown("politician name")],
        "/parties/": [shown("party name")],
        party.get_absolute_url(): [
            shown("party name"),
            shown("party description"),
            shown("politician name"),
            shown("headline"),
        ],
        reverse("exports:timeline", args=[politician.slug]): [shown("politician name")],
    }
    for url, expected in pages.items():
        assert_safe_html(get_html(client, url), *expected)


def test_browser_filters_search_snippets_and_chips(client, hostile):
    topic, source = hostile["topic"], hostile["source"]
    queries = [
        {"q": "alert"},
        {"topic": topic.slug, "source": source.slug},
        {"politician": hostile["politician"].slug, "party": hostile["party"].slug},
        {"show": "politicians"},
    ]
    for params in queries:
        html = get_html(client, "/articles/", **params)
        assert_safe_html(html, shown("headline"))
    # PostgreSQL's parser skips tags, so this may find nothing; either way nothing comes out raw.
    assert_safe_html(get_html(client, "/articles/", q="script onerror"))
    for url in [topic.get_absolute_url(), source.get_absolute_url()]:
        html = get_html(client, url)
        assert_safe_html(html, shown("headline"))


def test_attack_typed_into_search_boxes_is_echoed_as_text(client, hostile):
    for url in ["/articles/", "/politicians/", "/feeds/articles/"]:
        response = client.get(url, {"q": ATTACK[:190]})
        assert response.status_code in {200, 400}
        body = response.content.decode()
        if response["Content-Type"].startswith("text/html"):
            assert_safe_html(body)
        else:
            assert "<script>" not in body.replace("&lt;script&gt;", "")
    response = client.get(
        hostile["politician"].get_absolute_url(),
        {"topic": ATTACK, "role": ATTACK, "order": ATTACK, "year": ATTACK, "with": ATTACK},
    )
    assert response.status_code == 400  # every one of them reported, as text
    assert_safe_html(response.content.decode())


def test_json_ld_keeps_the_payload_inside_its_strings(client, hostile):
    html = get_html(client, hostile["article"].get_absolute_url())
    page = assert_safe_html(html)
    (data,) = [json.loads(c) for a, c in page.scripts if a.get("type") == "application/ld+json"]
    assert data["headline"] == payload("headline")
    # The summary, with its white space collapsed.
    assert data["description"] == " ".join((payload("standfirst") + " alert").split())
    assert data["author"]["name"] == payload("byline")
    assert data["publisher"]["name"] == payload("source name")
    assert data["keywords"] == [TOPIC]
    assert data["about"][0]["name"] == payload("politician name")
    assert "isBasedOn" not in data  # the javascript: URL is not offered as the original


def feed_urls(hostile):
    slugs = {
        "politician": hostile["politician"].slug,
        "party": hostile["party"].slug,
        "topic": hostile["topic"].slug,
    }
    urls = [reverse("feeds:articles"), reverse("feeds:articles") + "?q=alert"]
    for kind, slug in slugs.items():
        urls.append(reverse(f"feeds:{kind}", args=[slug]))
    return urls


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_feeds_carry_the_payload_as_text(client, hostile, atom):
    for url in feed_urls(hostile):
        if atom:
            url = url.replace("/?", "/atom/?") if "?" in url else url + "atom/"
        response = client.get(url)
        assert response.status_code == 200, url
        xml = response.content
        # Well-formed XML (a raw "]]>" or "<script>" in the text would break or add elements).
        root = ET.fromstring(xml)
        names = {element.tag.split("}")[-1] for element in root.iter()}
        assert not names & {"script", "img", "i", "b"}, (url, names)
        parsed = feedparser.parse(xml)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        (entry,) = parsed.entries
        summary = entry.summary
        assert "<script" not in summary and "<img" not in summary
        assert "alert(1)" in summary
        titles = [e.text for e in root.iter() if e.tag.split("}")[-1] == "title"]
        assert payload("headline") in titles, url
        if atom:
            assert entry.title == payload("headline")
            assert entry.title_detail.type == "text/plain"
        assert entry.get("author") == payload("byline")
        links = [e.get("href", "") for e in entry.get("links", [])] + [entry.get("link", "")]
        assert not any(link.lower().startswith("javascript:") for link in links)
        for element in root.iter():
            for name in ("href", "url", "src"):
                assert not element.get(name, "").lower().startswith("javascript:"), url


def test_api_answers_hold_the_payload_as_json_strings(client, hostile):
    politician, party = hostile["politician"], hostile["party"]
    for url in [
        "/api/articles/",
        f"/api/articles/{hostile['article'].pk}/",
        "/api/politicians/",
        f"/api/politicians/{politician.slug}/",
        "/api/parties/",
        f"/api/parties/{party.slug}/",
        "/api/topics/",
        "/api/sources/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json")
        text = json.dumps(json.loads(response.content), ensure_ascii=False)
        assert "<script>alert(1)</script>" in text, url
    article = client.get(f"/api/articles/{hostile['article'].pk}/").json()
    assert article["headline"] == payload("headline")
    detail = client.get(f"/api/politicians/{politician.slug}/").json()
    assert detail["biography"] == payload("biography")


def test_popolo_export_holds_the_payload_as_strings(client, hostile):
    response = client.get(reverse("exports:popolo"))
    assert response["Content-Type"].startswith("application/json")
    document = response.json()
    assert [p["name"] for p in document["persons"]] == [payload("politician name")]
    assert payload("party name") in [o["name"] for o in document["organizations"]]


def test_csv_export_holds_the_payload_in_its_cells(client, hostile):
    response = client.get(reverse("exports:articles-csv"))
    text = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    *articles, end = rows  # the last line says the export is whole
    assert list(end.values())[0].startswith("# end of export")
    (row,) = articles
    assert payload("headline") in row.values()


def test_timeline_json_escapes_what_timelinejs_renders_as_html(client, hostile):
    politician = hostile["politician"]
    response = client.get(reverse("exports:timeline-json", args=[politician.slug]))
    document = response.json()
    texts = [document["title"]["text"]] + [event["text"] for event in document["events"]]
    for text in texts:
        for html in text.values():
            assert_safe_html(f"<div>{html}</div>")
    assert "&lt;script&gt;alert(1)" in document["title"]["text"]["headline"]
    media = document["title"].get("media", {})
    assert not media.get("url", "").lower().startswith("javascript:")


def test_article_added_through_the_admin_is_escaped_on_its_change_list(client):
    user = User.objects.create_user("ed", password="not-a-real-one", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    source = SourceFactory(name=payload("source name"))
    data = article_data(
        source, headline=payload("headline")[:200], standfirst=payload("standfirst")
    )
    data["slug"] = "attack"
    data["status"] = Article.Status.PUBLISHED
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get(slug="attack").headline == payload("headline")[:200]

    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    for raw in ["<script>alert", "<img src=x", "</title><script"]:
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    change = client.get(reverse("admin:articles_article_change", args=[Article.objects.get().pk]))
    assert "<script>alert" not in change.content.decode()
