"""Geometry for the small server-side SVG charts: monthly coverage bars and a party-history band.

The functions here only compute positions and labels; templates in ``templates/includes/chart_*``
draw them, so every name that reaches the page is escaped by the template engine.
"""

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass, field
from functools import cached_property

from articles.formats import is_hex_colour

CHART_WIDTH = 800
BAR_AREA_HEIGHT = 110
TOP_MARGIN = 14
BAND_HEIGHT = 28
# Text is drawn in HTML over the stretched SVG, so it keeps its size at any width. Which labels
# fit is decided here for the narrowest width of each layout (the CSS container queries in
# people.css switch at the same widths); a label box is fixed in CSS pixels.
LAYOUT_MIN_WIDTHS = {"full": 896, "wide": 576, "narrow": 320, "tiny": 240}
YEAR_LABEL_WIDTH = 36  # CSS px: "2016" at 12 px, with room to spare
LABEL_GAP = 4
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)
BAND_LABEL_CHAR = 8  # CSS px per character of a 13 px bold party name
BAND_LABEL_PADDING = 10
NEUTRAL_COLOUR = "#777777"
MONTH_ABBR = [calendar.month_abbr[m] for m in range(1, 13)]
MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]  # looked up once, not per bar


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
    return colour if is_hex_colour(colour) else NEUTRAL_COLOUR


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

    def year_starts(self):
        """The x of each 1 January inside the axis (not its left edge)."""
        return [
            self.x(dt.date(year, 1, 1)) for year in range(self.start.year + 1, self.end.year + 1)
        ]

    def year_spans(self):
        """(year, x of its first day on the axis, x of the end of its last day) for each year."""
        return [
            (
                year,
                self.x(max(dt.date(year, 1, 1), self.start)),
                self.x_end(min(dt.date(year, 12, 31), self.last_day)),
            )
            for year in range(self.start.year, self.end.year + 1)
        ]

    def year_labels(self):
        """A label per year centred under its months, on every layout where a regular interval of
        years (every year, every 2nd, 5th, ...) fits without overlapping; each says where."""
        spans = self.year_spans()
        shown = {
            layout: labelled_years(spans, self.width, px)
            for layout, px in LAYOUT_MIN_WIDTHS.items()
        }
        labels = []
        for year, left, right in spans:
            layouts = tuple(layout for layout, years in shown.items() if year in years)
            if layouts:
                centre = (left + right) / 2 / self.width * 100
                labels.append(YearLabel(year=year, centre=round(centre, 3), layouts=layouts))
        return labels


def labelled_years(spans, width, pixels):
    """The years to label at ``pixels`` wide: those of the smallest interval whose labels, each
    centred under its year and kept inside the chart, leave a gap between neighbours."""
    scale = pixels / width
    half = YEAR_LABEL_WIDTH / 2
    for step in YEAR_STEPS:
        chosen = [span for span in spans if span[0] % step == 0] or spans[:1]
        centres = [
            min(max((left + right) / 2 * scale, half), pixels - half) for _, left, right in chosen
        ]
        if all(b - a >= YEAR_LABEL_WIDTH + LABEL_GAP for a, b in itertools.pairwise(centres)):
            return {span[0] for span in chosen}
    return {spans[0][0]}


@dataclass(frozen=True)
class YearLabel:
    year: int
    centre: float  # per cent of the chart's width
    layouts: tuple  # the layouts (keys of LAYOUT_MIN_WIDTHS) that show it

    @property
    def css_class(self):
        return " ".join(f"chart-year--{layout}" for layout in self.layouts)

    @property
    def style(self):
        return f"--at: {svg_number(self.centre)}%"


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
    year_ticks: list  # x of each 1 January inside the axis, as SVG numbers
    year_labels: list
    rows: list
    total: int
    peak: Bar | None
    width: float = CHART_WIDTH
    height: float = TOP_MARGIN + BAR_AREA_HEIGHT
    baseline: float = TOP_MARGIN + BAR_AREA_HEIGHT
    top: float = TOP_MARGIN
    month_names: list = field(default_factory=lambda: MONTH_ABBR)

    @property
    def first_month(self):
        return self.bars[0].month if self.bars else self.axis.start

    @property
    def last_month(self):
        return self.bars[-1].month if self.bars else self.axis.end

    @property
    def span(self):
        """The months of the first and last article, in words."""
        if self.first_month == self.last_month:
            return f"in {month_label(self.first_month)}"
        return f"from {month_label(self.first_month)} to {month_label(self.last_month)}"

    @property
    def summary(self):
        if not self.total:
            return f"No articles {self.span}."
        text = f"{plural(self.total, 'article')} {self.span}"
        if self.peak:
            text += f"; busiest month {month_label(self.peak.month)} ({self.peak.count:,})"
        return text + "."


def coverage_chart(counts, axis=None):
    """Bars of articles per month. ``counts`` maps the first day of a month to a count.

    The axis defaults to the months from the first article to the last; a month without articles
    has no bar but is listed, with 0, in the text alternative.
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
        year_ticks=[svg_number(x) for x in axis.year_starts()],
        year_labels=axis.year_labels(),
        rows=rows,
        total=sum(b.count for b in bars),
        peak=peak,
    )


@dataclass(frozen=True)
class Period:
    """A party membership as the band's legend and text alternative give it."""

    party: object
    start: dt.date | None
    end: dt.date | None  # None while it lasts
    start_precision: str = "day"  # "day", "month" or "year": as the source gave the date
    end_precision: str = "day"

    @property
    def colour(self):
        return safe_colour(self.party.colour)

    @property
    def text(self):
        start = day_label(self.start, self.start_precision) if self.start else "unknown start"
        end = day_label(self.end, self.end_precision) if self.end else "present"
        return f"{start} to {end}"

    @property
    def label(self):
        return f"{self.party.name}, {self.text}"


@dataclass(frozen=True)
class Segment:
    period: Period
    x: float
    width: float
    colour: str
    text_colour: str
    chart_width: float = CHART_WIDTH

    @property
    def party(self):
        return self.period.party

    @property
    def name(self):
        return self.party.short_name or self.party.name

    @property
    def label(self):
        return self.period.label

    @property
    def label_layouts(self):
        """The layouts wide enough to print the party's name inside the segment."""
        needed = BAND_LABEL_CHAR * len(self.name) + BAND_LABEL_PADDING
        return tuple(
            layout
            for layout, pixels in LAYOUT_MIN_WIDTHS.items()
            if self.width * pixels / self.chart_width >= needed
        )

    @property
    def label_class(self):
        return " ".join(f"band-label--{layout}" for layout in self.label_layouts)

    @property
    def label_style(self):
        left, width = self.x / self.chart_width * 100, self.width / self.chart_width * 100
        return f"--at: {svg_number(left)}%; --span: {svg_number(width)}%; color: {self.text_colour}"

    @property
    def svg(self):
        return {"x": svg_number(self.x), "width": svg_number(self.width)}


@dataclass
class PartyBand:
    axis: Axis
    segments: list  # the memberships inside the axis, clipped to it
    periods: list  # every membership begun by today, for the legend
    width: float = CHART_WIDTH
    height: float = BAND_HEIGHT

    @property
    def summary(self):
        if not self.periods:
            return "No party memberships recorded."
        return "; ".join(p.label for p in self.periods) + "."


def party_band(memberships, axis, *, today):
    """Coloured segments for each membership, clipped to ``axis``; open ends run to ``today``.

    The legend lists every membership begun by ``today``, also those outside the axis.
    """
    segments, periods = [], []
    for m in sorted(memberships, key=lambda m: (m.start_date or dt.date.min, m.pk or 0)):
        if m.start_date and m.start_date > today:
            continue
        period = Period(
            party=m.party,
            start=m.start_date,
            end=m.end_date if m.end_date and m.end_date < today else None,
            start_precision=getattr(m, "start_precision", "day"),
            end_precision=getattr(m, "end_precision", "day"),
        )
        periods.append(period)
        start = m.start_date or axis.start
        end = min(m.end_date or today, today)
        if end < axis.start or start > axis.last_day:
            continue
        x = axis.x(start)
        width = max(axis.x_end(end) - x, 1.0)
        colour = period.colour
        segments.append(
            Segment(
                period=period,
                x=round(x, 2),
                width=round(width, 2),
                colour=colour,
                text_colour=m.party.text_colour if colour != NEUTRAL_COLOUR else "#ffffff",
                chart_width=axis.width,
            )
        )
    return PartyBand(axis=axis, segments=segments, periods=periods)


# -- comparison: one line per subject ---------------------------------------------------------

LINE_AREA_HEIGHT = 150
# Colours for series without a colour of their own (politicians), each at least 4.5:1 on white;
# a dash pattern per series tells the lines apart where colours are close or not seen.
SERIES_COLOURS = ("#1d5c96", "#b35c00", "#2e7d32", "#6a3d9a", "#00838f", "#8a1538", "#4d4d4d")
SERIES_DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 5")
MONTHS_AS_ROWS = 24  # a shorter comparison tabulates months, a longer one years


@dataclass(frozen=True)
class Series:
    """One subject's line: its name, where it links, how it is drawn and its monthly counts."""

    name: str
    url: str
    colour: str
    dash: str
    counts: dict  # first day of month: articles, for every month of the axis
    points: str  # SVG polyline points

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def text(self):
        return f"{self.name}: {plural(self.total, 'article')}"


@dataclass(frozen=True)
class ComparisonRow:
    """A row of the comparison's table: a month or a year and each series' count in it."""

    label: str
    counts: tuple


@dataclass
class ComparisonChart:
    axis: Axis
    series: list
    rows: list
    by: str  # "month" or "year": what a row of the table is
    peak: int
    year_ticks: list
    year_labels: list
    width: float = CHART_WIDTH
    height: float = TOP_MARGIN + LINE_AREA_HEIGHT
    baseline: float = TOP_MARGIN + LINE_AREA_HEIGHT
    top: float = TOP_MARGIN

    @property
    def span(self):
        if self.axis.start == self.axis.end:
            return f"in {month_label(self.axis.start)}"
        return f"from {month_label(self.axis.start)} to {month_label(self.axis.end)}"

    @property
    def totals(self):
        return tuple(s.total for s in self.series)

    @property
    def summary(self):
        return "; ".join(s.text for s in self.series) + f", {self.span}."


def series_colours(wanted):
    """A distinct colour for each of ``wanted`` (a colour of its own, or None): its own where it
    is a plain #RRGGBB not taken by an earlier series, else the first free one of the palette."""
    taken, chosen = set(), []
    for colour in wanted:
        own = safe_colour(colour) if colour else None
        if own is None or own == NEUTRAL_COLOUR or own.lower() in taken:
            own = next((c for c in SERIES_COLOURS if c.lower() not in taken), NEUTRAL_COLOUR)
        taken.add(own.lower())
        chosen.append(own)
    return chosen


def comparison_chart(subjects, axis=None):
    """Lines of articles per month, one per subject: ``subjects`` are ``(name, url, colour or
    None, {first day of month: count})``. The axis defaults to the months from the first article
    of any subject to the last; None when no subject has any."""
    subjects = [
        (name, url, colour, {first_of_month(m): n for m, n in counts.items() if n})
        for name, url, colour, counts in subjects
    ]
    axis = axis or Axis.covering(*(m for *_, counts in subjects for m in counts))
    if axis is None:
        return None
    months = [add_months(axis.start, i) for i in range(axis.months)]
    peak = max((counts.get(m, 0) for *_, counts in subjects for m in months), default=0)
    scale = LINE_AREA_HEIGHT / peak if peak else 0
    series = []
    colours = series_colours([colour for _, _, colour, _ in subjects])
    for index, ((name, url, _, counts), colour) in enumerate(zip(subjects, colours, strict=True)):
        values = {m: counts.get(m, 0) for m in months}

        def y(n):
            return svg_number(TOP_MARGIN + LINE_AREA_HEIGHT - n * scale)

        if len(months) == 1:
            n = values[months[0]]
            points = f"0,{y(n)} {svg_number(axis.width)},{y(n)}"
        else:
            points = " ".join(
                f"{svg_number((i + 0.5) * axis.month_width)},{y(values[m])}"
                for i, m in enumerate(months)
            )
        series.append(
            Series(
                name=name,
                url=url,
                colour=colour,
                dash=SERIES_DASHES[index % len(SERIES_DASHES)],
                counts=values,
                points=points,
            )
        )
    if len(months) <= MONTHS_AS_ROWS:
        by = "month"
        rows = [ComparisonRow(month_label(m), tuple(s.counts[m] for s in series)) for m in months]
    else:
        by = "year"
        rows = [
            ComparisonRow(
                str(year),
                tuple(sum(n for m, n in s.counts.items() if m.year == year) for s in series),
            )
            for year in range(axis.start.year, axis.end.year + 1)
        ]
    return ComparisonChart(
        axis=axis,
        series=series,
        rows=rows,
        by=by,
        peak=peak,
        year_ticks=[svg_number(x) for x in axis.year_starts()],
        year_labels=axis.year_labels(),
    )
