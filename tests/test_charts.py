"""Server-side SVG charts: geometry, and the accessible text that goes with them."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string

from articles.models import Party, PartyMembership
from articles.web import charts

D = dt.date


def test_a_bar_per_covered_month_scaled_to_the_busiest():
    chart = charts.coverage_chart({D(2016, 1, 1): 4, D(2016, 3, 1): 2, D(2016, 2, 1): 0})
    assert [(b.month, b.count) for b in chart.bars] == [(D(2016, 1, 1), 4), (D(2016, 3, 1), 2)]
    january, march = chart.bars
    assert january.height == charts.BAR_AREA_HEIGHT
    assert march.height == pytest.approx(charts.BAR_AREA_HEIGHT / 2)
    assert january.y + january.height == pytest.approx(chart.baseline)
    assert january.y == charts.TOP_MARGIN
    assert march.x > january.x
    assert chart.axis.months == 3
    assert chart.total == 6
    assert chart.peak.month == D(2016, 1, 1)
    assert (
        chart.summary
        == "6 articles from January 2016 to March 2016; busiest month January 2016 (4)."
    )


def test_text_alternative_lists_every_month_of_the_span():
    chart = charts.coverage_chart({D(2015, 11, 1): 1, D(2016, 2, 1): 3})
    rows = {row.year: row for row in chart.rows}
    assert rows[2015].counts[:10] == [None] * 10  # before the span
    assert rows[2015].counts[10:] == [1, 0]
    assert rows[2016].counts[:2] == [0, 3]
    assert rows[2016].counts[2:] == [None] * 10
    assert (rows[2015].total, rows[2016].total) == (1, 3)


def labelled(chart, layout):
    return [label.year for label in chart.year_labels if layout in label.layouts]


def test_every_year_is_labelled_when_there_is_room():
    chart = charts.coverage_chart({D(2015, 9, 1): 1, D(2016, 6, 1): 3, D(2020, 10, 1): 1})
    assert labelled(chart, "wide") == [2015, 2016, 2017, 2018, 2019, 2020]
    assert len(chart.year_ticks) == 5  # a line at each new year inside the axis
    first, *_, last = chart.year_labels
    assert 0 < first.centre < last.centre < 100


def test_long_careers_get_a_regular_interval_of_years_on_narrow_layouts():
    chart = charts.coverage_chart({D(1990, 3, 1): 1, D(2020, 6, 1): 1})
    wide, narrow, tiny = (labelled(chart, layout) for layout in ("wide", "narrow", "tiny"))
    # 31 years in 576 px: 19 px a year, so every 5th year; in 320 px every 5th would leave the
    # 1990 label (kept inside the left edge) too close to 1995's, so every 10th.
    assert wide == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert narrow == tiny == [1990, 2000, 2010, 2020]
    assert len(chart.bars) == 2


@pytest.mark.parametrize("layout", charts.LAYOUT_MIN_WIDTHS)
@pytest.mark.parametrize(
    "first, last",
    [
        (D(2015, 9, 1), D(2020, 10, 1)),
        (D(2015, 12, 1), D(2016, 1, 1)),
        (D(1999, 1, 1), D(2026, 12, 1)),
        (D(2019, 11, 1), D(2021, 1, 1)),
        (D(2016, 6, 1), D(2016, 6, 1)),
    ],
)
def test_year_labels_never_overlap_and_stay_inside_the_chart(layout, first, last):
    chart = charts.coverage_chart({first: 1, last: 2})
    pixels = charts.LAYOUT_MIN_WIDTHS[layout]
    half = charts.YEAR_LABEL_WIDTH / 2
    centres = [
        min(max(label.centre / 100 * pixels, half), pixels - half)
        for label in chart.year_labels
        if layout in label.layouts
    ]
    assert centres, "at least one year is labelled"
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False)]
    assert all(gap >= charts.YEAR_LABEL_WIDTH for gap in gaps)
    years = labelled(chart, layout)
    steps = {b - a for a, b in zip(years, years[1:], strict=False)}
    assert len(steps) <= 1  # every year, or a regular interval


def test_summary_gives_the_articles_range_even_on_a_wider_axis():
    chart = charts.coverage_chart(
        {D(2015, 9, 1): 2, D(2020, 10, 1): 1}, charts.Axis(D(2010, 1, 1), D(2024, 5, 1))
    )
    assert chart.summary == (
        "3 articles from September 2015 to October 2020; busiest month September 2015 (2)."
    )
    single = charts.coverage_chart({D(2016, 6, 1): 1})
    assert single.summary == "1 article in June 2016; busiest month June 2016 (1)."


def test_empty_counts_give_no_chart():
    assert charts.coverage_chart({}) is None
    assert charts.coverage_chart({D(2016, 1, 1): 0}) is None


def test_axis_positions_run_left_to_right_and_clamp():
    axis = charts.Axis(D(2000, 1, 1), D(2009, 12, 1))
    assert axis.x(D(1990, 1, 1)) == 0
    assert axis.x(D(2000, 1, 1)) == 0
    assert axis.x(D(2005, 1, 1)) == pytest.approx(charts.CHART_WIDTH / 2)
    assert axis.x(D(2030, 1, 1)) == charts.CHART_WIDTH
    assert axis.x_end(D(2009, 12, 31)) == charts.CHART_WIDTH


def membership(party, start, end=None, pk=1):
    return PartyMembership(pk=pk, party=party, start_date=start, end_date=end)


def test_party_band_segments_in_party_colours_with_open_ends_to_today():
    con = Party(name="Conservative Party", short_name="Con", colour="#0087DC")
    ukip = Party(name="UK Independence Party", short_name="UKIP", colour="#70147A")
    axis = charts.Axis(D(2000, 1, 1), D(2019, 12, 1))
    band = charts.party_band(
        [
            membership(ukip, D(2014, 8, 28), pk=2),
            membership(con, None, D(2014, 8, 27)),
            membership(con, D(2025, 1, 1), pk=3),  # not begun yet
        ],
        axis,
        today=D(2019, 12, 31),
    )
    first, second = band.segments
    assert (first.party, second.party) == (con, ukip)
    assert first.x == 0 and first.colour == "#0087DC"
    assert first.x + first.width == pytest.approx(second.x, abs=0.5)
    assert second.x + second.width == pytest.approx(charts.CHART_WIDTH)
    assert second.label == "UK Independence Party, 28 Aug 2014 to present"
    assert first.label == "Conservative Party, unknown start to 27 Aug 2014"
    assert band.summary.count(";") == 1


def test_party_band_keeps_memberships_outside_the_axis_in_its_legend():
    con = Party(name="Conservative Party", short_name="Con", colour="#0087DC")
    ukip = Party(name="UK Independence Party", short_name="UKIP", colour="#70147A")
    axis = charts.Axis(D(2016, 1, 1), D(2016, 3, 1))
    band = charts.party_band(
        [membership(con, D(2005, 5, 5), D(2014, 8, 27)), membership(ukip, D(2014, 8, 28), pk=2)],
        axis,
        today=D(2020, 1, 1),
    )
    assert [s.party for s in band.segments] == [ukip]
    assert band.segments[0].x == 0
    assert band.segments[0].width == pytest.approx(charts.CHART_WIDTH)
    assert [p.label for p in band.periods] == [
        "Conservative Party, 5 May 2005 to 27 Aug 2014",
        "UK Independence Party, 28 Aug 2014 to present",
    ]


def test_party_names_show_only_on_layouts_where_they_fit():
    party = Party(name="Scottish National Party", short_name="SNP", colour="#FDF38E")
    axis = charts.Axis(D(2000, 1, 1), D(2019, 12, 1))
    short = charts.party_band(
        [membership(party, D(2018, 1, 1), D(2019, 12, 31))], axis, today=D(2020, 1, 1)
    )
    whole = charts.party_band([membership(party, D(2000, 1, 1))], axis, today=D(2020, 1, 1))
    # 2 years of 20: 90 px at 896, 58 at 576, 32 at 320
    assert short.segments[0].label_layouts == ("full", "wide")
    assert whole.segments[0].label_layouts == ("full", "wide", "narrow", "tiny")
    assert whole.segments[0].text_colour == "#000000"  # on yellow


def test_colours_that_are_not_plain_hex_are_replaced():
    odd = Party(name="Odd", colour="red; background:url(x)")
    band = charts.party_band(
        [membership(odd, D(2001, 1, 1))],
        charts.Axis(D(2000, 1, 1), D(2002, 1, 1)),
        today=D(2002, 1, 1),
    )
    assert band.segments[0].colour == charts.NEUTRAL_COLOUR


def test_rendered_chart_is_an_image_with_labelled_text_alternative():
    chart = charts.coverage_chart({D(2016, 1, 1): 2, D(2016, 3, 1): 7})
    html = render_to_string(
        "includes/chart_coverage.html",
        {"chart": chart, "id": "c1", "caption": "Articles per month mentioning <Someone>"},
    )
    assert 'role="img"' in html
    assert 'preserveAspectRatio="none"' in html  # the bars stretch; the text below does not
    assert (
        '<span class="chart-year chart-year--full chart-year--wide chart-year--narrow '
        'chart-year--tiny"'
    ) in html
    assert 'aria-labelledby="c1-title c1-desc"' in html
    assert '<title id="c1-title">' in html and '<desc id="c1-desc">' in html
    assert "&lt;Someone&gt;" in html and "<Someone>" not in html
    assert len(re.findall(r'<rect class="bar[ "]', html)) == 2
    assert "January 2016: 2 articles" in html
    assert "March 2016: 7 articles" in html
    assert 'data-month="2016-03" data-count="7"' in html
    table = html[html.index("<table>") :]
    assert "<td>2</td><td>0</td><td>7</td>" in table
    assert "<td>9</td>" in table  # the year's total


def test_rendered_band_has_title_description_and_legend():
    party = Party(name="Labour Party", short_name="Labour", colour="#E4003B", slug="labour")
    axis = charts.Axis(D(2010, 1, 1), D(2019, 12, 1))
    band = charts.party_band([membership(party, D(2012, 1, 1))], axis, today=D(2019, 12, 31))
    html = render_to_string("includes/chart_party_band.html", {"band": band, "id": "b1"})
    assert 'role="img"' in html and 'aria-labelledby="b1-title b1-desc"' in html
    assert 'fill="#E4003B"' in html
    assert "Labour Party, 1 Jan 2012 to present" in html
    assert 'href="/parties/labour/"' in html


# Comparison lines


def test_comparison_lines_share_one_scale_over_every_month():
    chart = charts.comparison_chart(
        [
            ("Red", "/r/", "#E4003B", {dt.date(2016, 1, 1): 4, dt.date(2016, 3, 1): 2}),
            ("Someone", "/s/", None, {dt.date(2015, 12, 1): 1}),
        ]
    )
    assert (chart.axis.start, chart.axis.end) == (dt.date(2015, 12, 1), dt.date(2016, 3, 1))
    red, someone = chart.series
    assert list(red.counts.values()) == [0, 4, 0, 2]
    baseline, top = charts.TOP_MARGIN + charts.LINE_AREA_HEIGHT, charts.TOP_MARGIN
    ys = [float(point.split(",")[1]) for point in red.points.split()]
    assert ys == [baseline, top, baseline, baseline - charts.LINE_AREA_HEIGHT / 2]
    xs = [float(point.split(",")[0]) for point in someone.points.split()]
    assert xs == [100, 300, 500, 700]  # the middle of each of four months
    assert (red.colour, red.dash, someone.dash) == ("#E4003B", "", charts.SERIES_DASHES[1])
    assert chart.summary == "Red: 6 articles; Someone: 1 article, from December 2015 to March 2016."
    assert [(r.label, r.counts) for r in chart.rows] == [
        ("December 2015", (0, 1)),
        ("January 2016", (4, 0)),
        ("February 2016", (0, 0)),
        ("March 2016", (2, 0)),
    ]
    assert chart.totals == (6, 1)


def test_a_single_month_is_a_level_line_and_nothing_is_no_chart():
    chart = charts.comparison_chart([("A", "/a/", None, {dt.date(2016, 5, 1): 3})])
    assert chart.series[0].points == f"0,{charts.TOP_MARGIN} 800,{charts.TOP_MARGIN}"
    assert charts.comparison_chart([("A", "/a/", None, {}), ("B", "/b/", None, {})]) is None


def test_series_colours_are_distinct_and_parties_keep_their_own():
    wanted = ["#E4003B", None, "#e4003b", "red", None, "#0087DC"]
    colours = charts.series_colours(wanted)
    assert colours[0] == "#E4003B" and colours[5] == "#0087DC"
    assert len({c.lower() for c in colours}) == len(colours)
    assert all(re.match(r"^#[0-9a-fA-F]{6}$", c) for c in colours)


def test_a_long_comparison_is_tabulated_by_year():
    chart = charts.comparison_chart(
        [("A", "/a/", None, {dt.date(2010, 5, 1): 2, dt.date(2012, 5, 1): 1})]
    )
    assert chart.axis.months == 25 and chart.by == "year"
    assert [(r.label, r.counts) for r in chart.rows] == [
        ("2010", (2,)),
        ("2011", (0,)),
        ("2012", (1,)),
    ]
