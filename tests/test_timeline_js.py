import datetime as dt
import re

import pytest
import time_machine

from articles.models import Article, Mention
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def politician():
    person = PoliticianFactory(
        name="Douglas <Carswell>",
        biography="Left the Conservatives & joined UKIP.",
        image_url="https://example.org/carswell.jpg",
    )
    MembershipFactory(
        politician=person,
        party=PartyFactory(name="Conservative Party"),
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(
        politician=person, party=PartyFactory(name="UKIP"), start_date=dt.date(2014, 8, 28)
    )
    MembershipFactory(
        politician=person,
        party=PartyFactory(name="Undated Party"),
        start_date=None,
        end_date=dt.date(2000, 1, 1),
    )
    RoleFactory(
        politician=person,
        title="MP for Clacton",
        organisation="House of Commons",
        start_date=dt.date(2010, 5, 6),
        end_date=dt.date(2019, 11, 6),
    )
    for headline, when in [("Carswell <b>defects</b>", on(2014, 8, 28)), ("Later", on(2016, 1, 5))]:
        MentionFactory(
            article=ArticleFactory(headline=headline, published_at=when), politician=person
        )
    MentionFactory(
        article=ArticleFactory(headline="Draft", status=Article.Status.DRAFT), politician=person
    )
    MentionFactory(
        article=ArticleFactory(headline="Only suggested"),
        politician=person,
        state=Mention.State.SUGGESTED,
    )
    return person


def get_json(client, politician):
    response = client.get(f"/politicians/{politician.slug}/timeline.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_title_slide_is_the_politician(client, politician):
    data = get_json(client, politician)
    assert data["title"]["text"]["headline"] == (
        f'<a href="http://testserver{politician.get_absolute_url()}">Douglas &lt;Carswell&gt;</a>'
    )
    assert data["title"]["text"]["text"] == "Left the Conservatives &amp; joined UKIP."
    assert data["title"]["media"]["url"] == "https://example.org/carswell.jpg"
    assert data["title"]["unique_id"]


def test_events_for_coverage_party_and_roles(client, politician):
    events = get_json(client, politician)["events"]
    groups = [event["group"] for event in events]
    assert groups.count("Coverage") == 2  # not the draft nor the suggested mention
    assert groups.count("Party") == 3
    assert groups.count("Roles") == 1
    ids = [event["unique_id"] for event in events]
    assert all(ids) and len(set(ids)) == len(ids)
    for event in events:
        assert set(event["start_date"]) == {"year", "month", "day"}
        assert all(isinstance(v, int) for v in event["start_date"].values())

    article = Article.objects.get(headline="Carswell <b>defects</b>")
    coverage = next(e for e in events if e["unique_id"] == f"article-{article.pk}")
    assert coverage["start_date"] == {"year": 2014, "month": 8, "day": 28}
    assert coverage["text"]["headline"] == (
        f'<a href="http://testserver{article.get_absolute_url()}">'
        "Carswell &lt;b&gt;defects&lt;/b&gt;</a>"
    )

    parties = {
        re.sub(r"<[^>]+>", "", e["text"]["headline"]): e for e in events if e["group"] == "Party"
    }
    ukip = parties["UKIP"]
    assert re.fullmatch(
        r'<a href="http://testserver/parties/[\w-]+/">UKIP</a>', ukip["text"]["headline"]
    )
    assert ukip["start_date"] == {"year": 2014, "month": 8, "day": 28}
    assert "end_date" not in ukip  # still a member
    role = next(e for e in events if e["group"] == "Roles")
    assert role["end_date"] == {"year": 2019, "month": 11, "day": 6}
    assert "House of Commons" in role["text"]["text"]


def test_membership_without_a_start_is_placed_at_the_first_known_date(client, politician):
    events = {e["unique_id"]: e for e in get_json(client, politician)["events"]}
    (undated,) = politician.memberships.filter(start_date=None)
    event = events[f"membership-{undated.pk}"]
    # Nothing in the archive falls inside it (it ended in 2000): placed at its end.
    assert event["start_date"] == event["end_date"] == {"year": 2000, "month": 1, "day": 1}
    assert event["display_date"] == "Unknown start (known by 1 January 2000) – 1 January 2000"
    assert event["text"]["text"] == (
        "Start date unknown: first known as a member on 1 January 2000. Left on 1 January 2000."
    )


def test_open_membership_without_a_start_begins_at_its_first_article(client):
    labour = PartyFactory(name="Labour Party")
    corbyn = PoliticianFactory(name="Jeremy Corbyn")
    membership = MembershipFactory(politician=corbyn, party=labour, start_date=None)
    RoleFactory(
        politician=corbyn, title="Leader of the Labour Party", start_date=dt.date(2015, 9, 12)
    )
    for when in (on(2016, 6, 26), on(2015, 9, 10), on(2019, 1, 1)):
        MentionFactory(politician=corbyn, article=ArticleFactory(published_at=when))
    MentionFactory(  # not public: it cannot be the first known date
        politician=corbyn,
        article=ArticleFactory(published_at=on(2014, 1, 1), status=Article.Status.DRAFT),
    )
    events = {e["unique_id"]: e for e in get_json(client, corbyn)["events"]}
    event = events[f"membership-{membership.pk}"]
    assert event["start_date"] == {"year": 2015, "month": 9, "day": 10}
    assert "end_date" not in event
    assert event["display_date"] == "Unknown start (known by 10 September 2015) – present"
    assert event["text"]["text"] == (
        "Start date unknown: first known as a member on 10 September 2015. Still a member."
    )


def test_every_link_is_absolute(client, politician, settings):
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    response = client.get(
        f"/politicians/{politician.slug}/timeline.json",
        headers={"host": "archive.example.org", "x-forwarded-proto": "https"},
        secure=True,
    )
    text = response.content.decode()
    links = re.findall(r'href=\\"([^"\\]*)', text)
    assert links and all(link.startswith("https://archive.example.org/") for link in links)


def test_unknown_politician_is_404(client, db):
    assert client.get("/politicians/nobody/timeline.json").status_code == 404
    assert client.get("/politicians/nobody/timeline/").status_code == 404


def test_timeline_page_loads_timelinejs_from_our_static_files(client, politician):
    response = client.get(f"/politicians/{politician.slug}/timeline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/timelinejs/js/timeline.js" in html
    assert "/static/vendor/timelinejs/css/timeline.css" in html
    assert "/static/js/politician-timeline.js" in html
    assert f'data-timeline-url="/politicians/{politician.slug}/timeline.json"' in html
    assert "<script>" not in html  # no inline script


def test_timeline_queries_are_bounded(client, politician, django_assert_max_num_queries):
    for day in range(1, 20):
        MentionFactory(article=ArticleFactory(published_at=on(2017, 1, day)), politician=politician)
    with django_assert_max_num_queries(8):
        get_json(client, politician)
