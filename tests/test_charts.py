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


def test_long_careers_get_sparse_year_ticks_inside_the_chart():
    chart = charts.coverage_chart({D(1990, 3, 1): 1, D(2020, 6, 1): 1})
    labels = [t.label for t in chart.ticks]
    assert labels[0] == "1990"
    assert "1995" in labels and "2020" in labels and "1991" not in labels
    assert all(0 <= t.x <= charts.CHART_WIDTH for t in chart.ticks)
    assert len(chart.bars) == 2


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
