import datetime as dt
import json
import re

import pytest
import time_machine

from articles.models import Mention
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    tories = PartyFactory(name="Conservative Party", short_name="Con", colour="#0087DC")
    ukip = PartyFactory(name="UKIP", short_name="UKIP", colour="#FFD700")
    carswell = PoliticianFactory(name="Douglas Carswell", slug="douglas-carswell")
    MembershipFactory(
        politician=carswell,
        party=tories,
        start_date=dt.date(2005, 1, 1),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=carswell, party=ukip, start_date=dt.date(2014, 8, 28))
    speaker = PoliticianFactory(name="John Bercow", slug="john-bercow", wikidata_id="Q295815")
    article = ArticleFactory(
        headline="Carswell </script> speaks",
        slug="carswell-speaks",
        standfirst="The member for Clacton said things.",
        body="First <b>paragraph</b>.\n\nSecond paragraph.",
        byline="A. Reporter",
        published_at=on(2013, 5, 1, 9),
        source=SourceFactory(name="BBC News", slug="bbc"),
        url="https://www.bbc.co.uk/news/1",
        topics=[TopicFactory(name="Europe", slug="europe")],
    )
    MentionFactory(article=article, politician=carswell, role=Mention.Role.SUBJECT)
    MentionFactory(article=article, politician=speaker, role=Mention.Role.QUOTED)
    MentionFactory(
        article=article,
        politician=PoliticianFactory(name="Suggested Only"),
        state=Mention.State.SUGGESTED,
    )
    return article


URL = "/articles/2013/05/01/carswell-speaks/"


def test_the_article_page(client, article):
    assert article.get_absolute_url() == URL
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Carswell &lt;/script&gt; speaks</h1>" in html
    assert "The member for Clacton said things." in html
    assert "By A. Reporter" in html
    assert '<time datetime="2013-05-01T09:00:00+01:00">1 May 2013</time>' in html
    assert "<p>First &lt;b&gt;paragraph&lt;/b&gt;.</p>" in html
    assert "<p>Second paragraph.</p>" in html
    assert 'href="https://www.bbc.co.uk/news/1" rel="external noopener"' in html
    assert "Suggested Only" not in html


def test_mentions_have_role_and_the_party_on_the_articles_date(client, article):
    html = client.get(URL).content.decode()
    carswell = html[html.index('class="mention-name"') :]
    # In May 2013 Carswell was a Conservative; UKIP came in 2014.
    assert "Conservative Party" in carswell.split("</li>")[0]
    assert "UKIP" not in carswell.split("</li>")[0]
    assert "--party-bg: #0087DC; --party-fg: #000000" in html
    assert 'class="mention-role">Subject<' in html
    assert 'class="mention-role">Quoted<' in html
    # Bercow has no party membership at all.
    assert "Independent / no party" in html


def test_more_on_links_lead_to_the_browser(client, article):
    html = client.get(URL).content.decode()
    assert 'href="/articles/?politician=douglas-carswell">More on Douglas Carswell<' in html
    assert 'href="/articles/?topic=europe">More on Europe<' in html
    assert 'href="/articles/?source=bbc">BBC News<' in html
    assert 'href="/politicians/douglas-carswell/"' in html


def test_canonical_and_opengraph(client, article):
    html = client.get(URL).content.decode()
    assert f'<link rel="canonical" href="http://testserver{URL}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://testserver{URL}">' in html
    assert '<meta property="og:title" content="Carswell &lt;/script&gt; speaks">' in html


def test_structured_data_is_a_news_article_about_people(client, article):
    html = client.get(URL).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    assert "</script>" not in scripts[0]  # the headline's "</script>" is escaped
    data = json.loads(scripts[0])
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Carswell </script> speaks"
    assert data["url"] == f"http://testserver{URL}"
    assert data["datePublished"].startswith("2013-05-01T08:00:00")
    assert data["author"] == {"@type": "Person", "name": "A. Reporter"}
    assert data["about"] == [
        {
            "@type": "Person",
            "name": "Douglas Carswell",
            "url": "http://testserver/politicians/douglas-carswell/",
            "affiliation": {"@type": "Organization", "name": "Conservative Party"},
        }
    ]
    assert data["mentions"] == [
        {
            "@type": "Person",
            "name": "John Bercow",
            "url": "http://testserver/politicians/john-bercow/",
            "sameAs": "https://www.wikidata.org/wiki/Q295815",
        }
    ]


def test_related_articles_share_the_most_politicians(client, article):
    carswell, bercow = (m.politician for m in article.mentions.confirmed().order_by("id"))
    both = ArticleFactory(headline="Both of them", published_at=on(2013, 6, 1))
    MentionFactory(article=both, politician=carswell)
    MentionFactory(article=both, politician=bercow)
    one = ArticleFactory(headline="Just Carswell", published_at=on(2013, 7, 1))
    MentionFactory(article=one, politician=carswell)
    ArticleFactory(headline="Nobody in common", published_at=on(2013, 7, 2))
    draft = ArticleFactory(headline="A draft", published_at=on(2013, 7, 3), status="draft")
    MentionFactory(article=draft, politician=carswell)
    related = client.get(URL).context["related"]
    assert [a.headline for a in related] == ["Both of them", "Just Carswell"]


def test_article_page_query_budget(client, article, django_assert_max_num_queries):
    for i in range(10):
        other = ArticleFactory(published_at=on(2013, 6, i + 1))
        for mention in article.mentions.all():
            MentionFactory(article=other, politician=mention.politician)
    # The article, its politicians, its topics, its authors (linked from the byline), and the
    # related articles with their sources.
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["related"]) == 5


@pytest.mark.parametrize(
    "url",
    [
        "/articles/2013/05/02/carswell-speaks/",  # wrong day
        "/articles/2014/05/01/carswell-speaks/",  # wrong year
        "/articles/2013/5/1/carswell-speaks/",  # not the canonical form
        "/articles/2013/02/30/carswell-speaks/",  # no such date
        "/articles/2013/ab/01/carswell-speaks/",
        "/articles/2013/05/01/no-such-article/",
        "/articles/99999999999/05/01/carswell-speaks/",
    ],
)
def test_wrong_addresses_are_404(client, article, url):
    assert client.get(url).status_code == 404


def test_drafts_and_future_articles_are_404(client, article):
    article.status = "draft"
    article.save()
    assert client.get(URL).status_code == 404
    article.status = "published"
    article.save()
    with time_machine.travel(dt.datetime(2013, 5, 1, 7, tzinfo=dt.UTC), tick=False):
        assert client.get(URL).status_code == 404
    with time_machine.travel(dt.datetime(2013, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        assert client.get(URL).status_code == 200


def test_only_web_links_to_the_original(client, article):
    article.url = "javascript:alert(1)"
    article.save()
    html = client.get(URL).content.decode()
    assert "javascript:" not in html
    assert "Read the original" not in html
