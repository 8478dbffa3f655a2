"""The pages for a dead link and for a failure, as production (DEBUG off) serves them."""

import html
import re

import pytest
from django.test import Client

from tests.factories import OtherNameFactory, PartyFactory, PoliticianFactory


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def people(db):
    corbyn = PoliticianFactory(name="Jeremy Corbyn", slug="jeremy-corbyn")
    hunt = PoliticianFactory(name="Jeremy Hunt", slug="jeremy-hunt")
    PoliticianFactory(name="Theresa May", slug="theresa-may")
    farage = PoliticianFactory(name="Nigel Farage", slug="nigel-farage")
    OtherNameFactory(politician=farage, name="Mr Brexit")
    labour = PartyFactory(name="Labour Party", short_name="Labour", slug="labour-party")
    PartyFactory(name="Conservative Party", short_name="Conservatives", slug="conservative-party")
    ukip = PartyFactory(name="UK Independence Party", short_name="UKIP", slug="ukip")
    libdems = PartyFactory(name="Liberal Democrats", short_name="LD", slug="liberal-democrats")
    return {
        "corbyn": corbyn,
        "hunt": hunt,
        "farage": farage,
        "labour": labour,
        "ukip": ukip,
        "libdems": libdems,
    }


def suggestions(content):
    block = re.search(r'<ul class="error-suggestions">(.*?)</ul>', content, re.S)
    return re.findall(r'<a href="([^"]+)">', block[1]) if block else []


def search_box(content):
    box = re.search(r'<input id="error-q" type="search" name="q" value="([^"]*)"', content)
    assert box, "the page has a search box"
    return html.unescape(box[1])


def get_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert '<header class="site-header">' in content and "Page not found" in content
    return content


@pytest.mark.parametrize(
    ("url", "expected", "query"),
    [
        ("/politicians/jeremy-corbin/", ["corbyn"], "jeremy corbin"),
        ("/politicians/corbin/", ["corbyn"], "corbin"),
        ("/politicians/jeremy-hunter/", ["hunt"], "jeremy hunter"),  # not every Jeremy
        ("/politicians/mr-brexit/", ["farage"], "mr brexit"),  # another name
        ("/politicians/farrage/timeline/", ["farage"], "farrage"),
        ("/feeds/politicians/nigel-farrage/", ["farage"], "nigel farrage"),
        ("/parties/labor/", ["labour"], "labor"),
        ("/parties/ukip-party/", ["ukip"], "ukip party"),
        ("/parties/lib-dems/", ["libdems"], "lib dems"),
    ],
)
def test_unknown_names_suggest_the_closest_real_ones(client, people, url, expected, query):
    content = get_404(client, url)
    assert suggestions(content) == [people[key].get_absolute_url() for key in expected]
    assert search_box(content) == query


def test_nothing_close_gives_no_suggestions_but_a_search_box(client, people):
    content = get_404(client, "/politicians/zzzzqqq/")
    assert suggestions(content) == [] and "Did you mean" not in content
    assert search_box(content) == "zzzzqqq"
    content = get_404(client, "/no/such/page/")
    assert search_box(content) == ""
    assert "There is no page at <code>/no/such/page/</code>" in content


def test_the_missing_address_is_shown_escaped(client, people):
    content = get_404(client, '/politicians/<script>alert("x")</script>/')
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


FAILING_CONTEXT = "tests.test_error_pages.failing_context_processor"


def failing_context_processor(request):
    raise RuntimeError("a context processor that fails")


@pytest.mark.urls("tests.urls_failing")
def test_a_failure_gets_the_500_page_without_the_database_or_context_processors(settings):
    # No django_db mark: any query on the way raises, and the page must still render.
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}}
    ]
    settings.TEMPLATES[0]["OPTIONS"]["context_processors"] = [
        *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
        FAILING_CONTEXT,
    ]
    response = Client(raise_request_exception=False).get("/failing-page/")
    assert response.status_code == 500
    content = response.content.decode()
    assert '<header class="site-header">' in content
    assert "Something went wrong" in content and 'id="error-q"' in content
    assert "a failure the reader must not see" not in content
