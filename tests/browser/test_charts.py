"""Coverage charts as a reader sees them at 390 px (a phone) and 1280 px: the axis holds the
articles' months, every year is labelled or a regular interval of them, and no text is smaller
than 11 CSS pixels or overlaps another label."""

import datetime as dt

import pytest

from articles.web.charts import month_label
from tests.factories import ArticleFactory, MembershipFactory, MentionFactory, PoliticianFactory, on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]
MIN_TEXT = 11  # CSS px

# Every piece of text on a chart, as the reader's screen draws it: its visible glyph box (a
# Range over the text), its computed font size, and what it says.
MEASURE = """figure => {
  const visible = el => getComputedStyle(el).display !== "none" && el.getClientRects().length;
  const box = el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height};
  };
  const texts = selector => [...figure.querySelectorAll(selector)].filter(visible).map(el => ({
    text: el.textContent.trim(), font: parseFloat(getComputedStyle(el).fontSize), ...box(el),
  }));
  const svg = figure.querySelector("svg").getBoundingClientRect();
  const bars = [...figure.querySelectorAll("rect.bar")].map(b => b.getBoundingClientRect());
  return {
    figure: figure.getBoundingClientRect().toJSON(),
    svg: svg.toJSON(),
    years: texts(".chart-year"),
    others: texts(".chart-peak-label, .band-label"),
    svgText: figure.querySelectorAll("svg text").length,
    firstBarLeft: bars.length ? Math.min(...bars.map(b => b.left)) : null,
    lastBarRight: bars.length ? Math.max(...bars.map(b => b.right)) : null,
  };
}"""


@pytest.fixture
def long_career(archive):
    """Someone covered from March 2003 to October 2020, busiest in 2016, a Labour member."""
    person = PoliticianFactory(name="Long Serving", sort_name="Serving, Long")
    MembershipFactory(
        politician=person, party=archive.parties.labour, start_date=dt.date(1987, 6, 11)
    )
    days = [on(2003, 3, 14), *(on(year, 5, 2) for year in range(2004, 2020)), on(2016, 6, 2)]
    days += [on(2016, 6, 20), on(2020, 10, 30)]
    for day in days:
        MentionFactory(politician=person, article=ArticleFactory(published_at=day))
    return person, sorted(d.date() for d in days)


def charts_on(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response.status == 200
    return [
        page.evaluate(MEASURE, figure) for figure in page.locator("figure.chart").element_handles()
    ]


def assert_legible(chart, width):
    assert chart["svgText"] == 0, "all chart text is HTML, drawn at its own size"
    for text in chart["years"] + chart["others"]:
        assert text["font"] >= MIN_TEXT, f"{text['text']!r} is set at {text['font']} px"
        assert text["height"] >= MIN_TEXT, f"{text['text']!r} is drawn {text['height']} px tall"
    inside = chart["figure"]
    for text in chart["years"]:
        assert inside["left"] - 0.5 <= text["left"] and text["right"] <= inside["right"] + 0.5
    years = sorted(chart["years"], key=lambda t: t["left"])
    for before, after in zip(years, years[1:], strict=False):
        assert before["right"] < after["left"], (
            f"{before['text']} overlaps {after['text']} at {width} px"
        )
    assert inside["right"] <= width, "the chart fits the window"


def labelled_years(chart):
    return sorted(int(t["text"]) for t in chart["years"])


def assert_years_labelled(chart, first, last):
    years = labelled_years(chart)
    assert years and first <= years[0] and years[-1] <= last
    steps = {b - a for a, b in zip(years, years[1:], strict=False)}
    if years != list(range(first, last + 1)):
        assert len(steps) == 1, f"labels at an irregular interval: {years}"
        assert years[-1] + steps.pop() > last, "the interval runs to the last year"


def assert_axis_ends_at_the_data(chart):
    assert chart["firstBarLeft"] == pytest.approx(chart["svg"]["left"], abs=1)
    assert chart["lastBarRight"] == pytest.approx(chart["svg"]["right"], abs=1.5)


@pytest.mark.parametrize("width", WIDTHS)
def test_long_career_chart_is_legible_and_labelled(page, long_career, width):
    person, days = long_career
    band, coverage = charts_on(page, person.get_absolute_url(), width)
    for chart in (band, coverage):
        assert_legible(chart, width)
    assert_years_labelled(coverage, days[0].year, days[-1].year)
    assert_axis_ends_at_the_data(coverage)
    if width >= 1280:
        assert labelled_years(coverage) == list(range(days[0].year, days[-1].year + 1))
    caption = page.locator(".chart-coverage figcaption").inner_text()
    span = f"from {month_label(days[0])} to {month_label(days[-1])}"
    assert caption.startswith(f"{len(days)} articles {span};")
    assert [t["text"] for t in band["others"]] == ["Labour"]


@pytest.mark.parametrize("width", WIDTHS)
def test_short_coverage_labels_every_year_on_politician_and_party_pages(page, archive, width):
    corbyn, conservatives = archive.politicians.corbyn, archive.parties.conservatives
    for url, covers in (
        (corbyn.get_absolute_url(), lambda mention: mention.politician_id == corbyn.pk),
        # party on the article's date
        (conservatives.get_absolute_url(), lambda mention: mention.party_id == conservatives.pk),
    ):
        days = sorted(
            a.published_at.date() for a in archive.articles if any(map(covers, a.mentions.all()))
        )
        coverage = charts_on(page, url, width)[-1]
        assert_legible(coverage, width)
        assert labelled_years(coverage) == list(range(days[0].year, days[-1].year + 1))
        assert_axis_ends_at_the_data(coverage)
        caption = page.locator(".chart-coverage figcaption").inner_text()
        assert f"from {month_label(days[0])} to {month_label(days[-1])}" in caption
