"""/data/ links every export with a working example, and /api/docs is served from our own
static files."""

import re

import pytest

from tests.factories import ArticleFactory, MembershipFactory, MentionFactory, TopicFactory, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    membership = MembershipFactory()
    article = ArticleFactory(published_at=on(2016, 6, 28), topics=[TopicFactory(name="Brexit")])
    MentionFactory(article=article, politician=membership.politician)
    return membership


def test_every_example_on_the_data_page_answers(client, archive):
    page = client.get("/data/")
    assert page.status_code == 200
    links = re.findall(r'<td><a href="([^"]+)">', page.content.decode())
    assert len(links) >= 10
    for link in links:
        path = link.removeprefix("http://testserver")
        response = client.get(path)
        assert response.status_code == 200, path
    assert "/data/" in client.get("/").content.decode()  # linked from every page's footer


def test_the_api_docs_load_nothing_from_elsewhere(client, archive):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "<script>" not in html  # no inline script: the CSP allows none
