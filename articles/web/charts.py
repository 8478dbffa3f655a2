"""Geometry for the small server-side SVG charts: monthly coverage bars and a party-history band.

The functions here only compute positions and labels; templates in ``templates/includes/chart_*``
draw them, so every name that reaches the page is escaped by the template engine.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

CHART_WIDTH = 800
BAR_AREA_HEIGHT = 110
TOP_MARGIN = 14
AXIS_HEIGHT = 18
BAND_HEIGHT = 28
NEUTRAL_COLOUR = "#777777"
MONTH_ABBR = [calendar.month_abbr[m] for m in range(1, 13)]
MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]  # looked up once, not per bar
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def first_of_month(day):
    return dt.date(day.year, day.month, 1)


def add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(start, end):
    """Whole months from ``start``'s month to ``end``'s month (0 when they are the same)."""
    return (end.year - start.year) * 12 + end.month - start.month


def month_label(month):
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def day_label(day, precision="day"):
    """“5 May 2005”; a partial date as its source gave it: “October 1924”, “1924”."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{calendar.month_name[day.month]} {day.year}"
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


def safe_colour(colour):
    """The colour if it is a plain #RRGGBB value, else a neutral grey."""
    return colour if colour and _HEX.match(colour) else NEUTRAL_COLOUR


def svg_number(value):
    """A coordinate as a short string; templates print strings as they are, with no l10n."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural(n, word):
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Axis:
    """A run of whole months, ``start`` to ``end`` inclusive, spread over the chart's width."""

    start: dt.date
    end: dt.date
    width: float = CHART_WIDTH

    @classmethod
    def covering(cls, *days):
        """The smallest axis holding every given date (None when there is none)."""
        days = [d for d in days if d is not None]
        if not days:
            return None
        return cls(first_of_month(min(days)), first_of_month(max(days)))

    @property
    def months(self):
        return months_between(self.start, self.end) + 1

    @property
    def month_width(self):
        return self.width / self.months

    def x(self, day):
        """The horizontal position of the start of ``day``, clamped to the axis."""
        if day <= self.start:
            return 0.0
        if day > add_months(self.end, 1) - dt.timedelta(days=1):
            return float(self.width)
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        index = months_between(self.start, day) + (day.day - 1) / days_in_month
        return index * self.month_width

    def x_end(self, day):
        """The horizontal position of the end of ``day``."""
        return self.x(day + dt.timedelta(days=1)) if day < self.last_day else float(self.width)

    @property
    def last_day(self):
        return add_months(self.end, 1) - dt.timedelta(days=1)

    def ticks(self):
        """Year ticks: every year on short axes, every 5th or 10th year on long ones."""
        years = self.end.year - self.start.year + 1
        step = 1 if years <= 12 else 5 if years <= 60 else 10
        ticks = []
        for year in range(self.start.year, self.end.year + 1):
            january = dt.date(year, 1, 1)
            if year % step and year != self.start.year:
                continue
            x = self.x(max(january, self.start))
            if ticks and x - ticks[-1].x < 48:  # room for a start-anchored label and a centred one
                continue
            ticks.append(Tick(x=round(x, 2), label=str(year), width=self.width))
        return ticks


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    width: float = CHART_WIDTH

    @property
    def x_attr(self):
        return svg_number(self.x)

    @property
    def anchor(self):
        """Labels at the edges are aligned inwards so they are not cut off."""
        if self.x < 16:
            return "start"
        return "end" if self.x > self.width - 16 else "middle"


@dataclass(frozen=True)
class Bar:
    month: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self):
        return f"{month_label(self.month)}: {plural(self.count, 'article')}"

    @cached_property
    def svg(self):
        """Attribute values as strings: x, y, width, height, month (YYYY-MM) and count."""
        return {
            "x": svg_number(self.x),
            "y": svg_number(self.y),
            "width": svg_number(self.width),
            "height": svg_number(self.height),
            "month": f"{self.month:%Y-%m}",
            "count": str(self.count),
        }


@dataclass(frozen=True)
class YearRow:
    """One row of the chart's text alternative: a year and its twelve monthly counts."""

    year: int
    counts: list  # None for months outside the axis
    total: int

    @property
    def cells(self):
        """The counts as table text; a dash for months outside the chart."""
        return ["–" if n is None else str(n) for n in self.counts]


@dataclass
class CoverageChart:
    axis: Axis
    bars: list
    ticks: list
    rows: list
    total: int
    peak: Bar | None
    width: float = CHART_WIDTH
    height: float = TOP_MARGIN + BAR_AREA_HEIGHT + AXIS_HEIGHT
    baseline: float = TOP_MARGIN + BAR_AREA_HEIGHT
    top: float = TOP_MARGIN
    month_names: list = field(default_factory=lambda: MONTH_ABBR)

    @property
    def summary(self):
        span = f"{month_label(self.axis.start)} to {month_label(self.axis.end)}"
        if not self.total:
            return f"No articles from {span}."
        text = f"{plural(self.total, 'article')} from {span}"
        if self.peak:
            text += f"; busiest month {month_label(self.peak.month)} ({self.peak.count:,})"
        return text + "."


def coverage_chart(counts, axis=None):
    """Bars of articles per month. ``counts`` maps the first day of a month to a count.

    The axis defaults to the covered months; a month without articles has no bar but is listed,
    with 0, in the text alternative.
    """
    counts = {first_of_month(month): n for month, n in counts.items() if n}
    axis = axis or Axis.covering(*counts)
    if axis is None:
        return None
    peak_count = max(counts.values(), default=0)
    month_width = axis.month_width  # the same for every bar
    width = round(max(month_width - (1 if month_width > 3 else 0), 0.5), 2)
    bars = []
    for month, n in sorted(counts.items()):
        if not axis.start <= month <= axis.end:
            continue
        height = max(BAR_AREA_HEIGHT * n / peak_count, 1.0)
        x = months_between(axis.start, month) * month_width
        bars.append(
            Bar(
                month=month,
                count=n,
                x=round(x, 2),
                y=round(TOP_MARGIN + BAR_AREA_HEIGHT - height, 2),
                width=width,
                height=round(height, 2),
            )
        )
    rows = []
    for year in range(axis.start.year, axis.end.year + 1):
        row = []
        for m in range(1, 13):
            month = dt.date(year, m, 1)
            row.append(counts.get(month, 0) if axis.start <= month <= axis.end else None)
        rows.append(YearRow(year=year, counts=row, total=sum(c or 0 for c in row)))
    peak = max(bars, key=lambda b: (b.count, b.month), default=None)
    return CoverageChart(
        axis=axis,
        bars=bars,
        ticks=axis.ticks(),
        rows=rows,
        total=sum(b.count for b in bars),
        peak=peak,
    )


@dataclass(frozen=True)
class Segment:
    party: object
    start: dt.date | None
    end: dt.date | None
    x: float
    width: float
    colour: str
    text_colour: str
    start_precision: str = "day"
    end_precision: str = "day"

    @property
    def name(self):
        return self.party.short_name or self.party.name

    @property
    def svg(self):
        return {
            "x": svg_number(self.x),
            "width": svg_number(self.width),
            "label_x": svg_number(self.x + 4),
        }

    @property
    def show_label(self):
        return self.width >= 7 * len(self.name) + 6

    @property
    def period(self):
        start = day_label(self.start, self.start_precision) if self.start else "unknown start"
        end = day_label(self.end, self.end_precision) if self.end else "present"
        return f"{start} to {end}"

    @property
    def label(self):
        return f"{self.party.name}, {self.period}"


@dataclass
class PartyBand:
    axis: Axis
    segments: list
    width: float = CHART_WIDTH
    height: float = BAND_HEIGHT

    @property
    def summary(self):
        if not self.segments:
            return "No party memberships recorded."
        return "; ".join(s.label for s in self.segments) + "."


def party_band(memberships, axis, *, today):
    """Coloured segments for each membership, clipped to ``axis``; open ends run to ``today``."""
    segments = []
    for m in sorted(memberships, key=lambda m: (m.start_date or dt.date.min, m.pk or 0)):
        if m.start_date and m.start_date > today:
            continue
        start = m.start_date or axis.start
        end = min(m.end_date or today, today)
        if end < axis.start or start > axis.last_day:
            continue
        x = axis.x(start)
        width = max(axis.x_end(end) - x, 1.0)
        segments.append(
            Segment(
                party=m.party,
                start=m.start_date,
                end=m.end_date if m.end_date and m.end_date < today else None,
                x=round(x, 2),
                width=round(width, 2),
                colour=safe_colour(m.party.colour),
                text_colour=m.party.text_colour,
                start_precision=getattr(m, "start_precision", "day"),
                end_precision=getattr(m, "end_precision", "day"),
            )
        )
    return PartyBand(axis=axis, segments=segments)
