"""Large selections: facet counts from the facet sample, shown as "about N", and pages that
stay right when the number of results is an estimate."""

import datetime as dt

import pytest

from articles import derived
from articles.facets.estimates import about
from tests.factories import ArticleFactory, MentionFactory, PoliticianFactory, SourceFactory, on


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0.2, 1), (7, 7), (99.4, 99), (123, 120), (1_049, 1_000), (123_456, 120_000), (995, 1_000)],
)
def test_about_rounds_to_two_significant_figures(n, shown):
    assert about(n) == shown


@pytest.fixture
def half_sampled(db, settings):
    """60 articles from one source; Sam is in the 30 with even ids, which are the sampled ones:
    the sample over-estimates Sam's articles two to one."""
    settings.FACET_SAMPLE_EVERY = 2
    settings.FACET_EXACT_UP_TO = 10
    source = SourceFactory(name="The Wire", slug="wire")
    sam = PoliticianFactory(name="Sam Sample", slug="sam")
    with derived.change() as tracker:
        articles = [
            ArticleFactory(
                headline=f"Story {i}",
                published_at=on(2019, 1, 1) + dt.timedelta(days=i),
                source=source,
                status="published",
            )
            for i in range(60)
        ]
        tracker.created([a.pk for a in articles])
        for article in articles:
            if article.pk % 2 == 0:
                MentionFactory(article=article, politician=sam)
    return articles


def test_browser_says_about_and_finds_the_exact_total_on_the_last_page(client, half_sampled):
    url = "/articles/?politician=sam&source=wire"
    first = client.get(url)
    assert first.status_code == 200
    assert first.context["counts"].total_estimated
    assert first.context["counts"].total == 60  # 30 sampled, one article in two sampled
    html = first.content.decode()
    assert "About 60 articles" in html
    assert "Numbers are estimated from a sample of the archive." in html
    assert "about 60" in html  # the source option

    last = client.get(url + "&page=2")
    assert last.status_code == 200
    assert len(last.context["page_obj"].object_list) == 10
    assert last.context["counts"].total == 30  # counted exactly from the last page
    assert not last.context["counts"].total_estimated
    assert not last.context["page_obj"].has_next()
    assert "30 articles" in last.content.decode()

    past = client.get(url + "&page=3")
    assert past.status_code == 404
    assert "There is no page 3: the results end before it." in past.content.decode()


def test_small_selections_stay_exact(client, half_sampled, settings):
    settings.FACET_EXACT_UP_TO = 1000
    response = client.get("/articles/?politician=sam&source=wire")
    assert response.context["counts"].total == 30
    assert not response.context["counts"].total_estimated
    assert not any(facet.estimated for facet in response.context["counts"].facets)
    assert "about" not in response.content.decode().lower().split("<main", 1)[1]


def test_api_marks_estimates_and_ends_pages_where_the_results_end(client, half_sampled):
    url = "/api/articles/?politician=sam&source=wire"
    first = client.get(url).json()
    assert first["count"] == 60 and first["count_is_estimate"] is True
    assert first["next"]
    assert all(o["estimate"] for o in first["facets"]["source"] if not o["selected"])
    second = client.get(url + "&page=2").json()
    assert len(second["results"]) == 10 and second["next"] is None
    past = client.get(url + "&page=3")
    assert past.status_code == 404
    assert "past the end" in past.json()["detail"]
