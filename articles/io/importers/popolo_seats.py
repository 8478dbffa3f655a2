"""Seats in a legislature, as EveryPolitician and parlparse publish them, made into history.

A seat is a membership of the legislature with the party it was held for (``on_behalf_of_id``),
often one record per term and without dates of its own (the term's dates are in ``events[]``).
The archive keeps one party membership per continuous span, so spans of the same party that meet
or are separated only by a short gap (a dissolution and the election after it, or a short
by-election) are merged. The gap allowed is ``settings.POPOLO_MERGE_GAP_DAYS`` (default 60).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

DEFAULT_MERGE_GAP_DAYS = 60
DEFAULT_SEAT_TITLE = "Member of Parliament"


def merge_gap_days() -> int:
    return int(getattr(settings, "POPOLO_MERGE_GAP_DAYS", DEFAULT_MERGE_GAP_DAYS))


def seat_title() -> str:
    return getattr(settings, "POPOLO_SEAT_TITLE", DEFAULT_SEAT_TITLE)


@dataclass(frozen=True)
class Span:
    """One seat record's dates (inclusive; None is open) and where it is in the file."""

    start: dt.date | None
    end: dt.date | None
    where: str
    start_precision: str = "day"
    end_precision: str = "day"


@dataclass
class Merged:
    start: dt.date | None
    end: dt.date | None
    records: list[str]
    start_precision: str = "day"
    end_precision: str = "day"


def _inside_gap(span, after, before):
    return (span.start is None or before is None or span.start < before) and (
        span.end is None or after is None or span.end > after
    )


def merge_spans(spans, *, gap_days, interrupted_by=()):
    """Spans joined where they overlap, meet, or leave at most ``gap_days`` days between them,
    unless one of ``interrupted_by`` (another party's seats) falls in the gap."""
    ordered = sorted(spans, key=lambda s: (s.start is not None, s.start or dt.date.min))
    merged = []
    for span in ordered:
        last = merged[-1] if merged else None
        if last is not None and (
            last.end is None
            or span.start is None
            or (
                (span.start - last.end).days - 1 <= gap_days
                and not any(_inside_gap(o, last.end, span.start) for o in interrupted_by)
            )
        ):
            if last.end is not None and (span.end is None or span.end > last.end):
                last.end, last.end_precision = span.end, span.end_precision
            last.records.append(span.where)
        else:
            merged.append(
                Merged(
                    span.start,
                    span.end,
                    [span.where],
                    span.start_precision,
                    span.end_precision,
                )
            )
    return merged


def end_before_the_next(memberships):
    """One party at a time: where a span of one party overlaps a later-starting span of another
    (a floor-crossing published with the same day as one's end and the other's start), the
    earlier one ends the day before the later starts. ``memberships`` is one politician's
    [(party id, Merged)], changed in place. Spans that start the same day are left as they are
    (the import reports them)."""
    ordered = sorted(memberships, key=lambda m: (m[1].start is not None, m[1].start or dt.date.min))
    for i, (party, earlier) in enumerate(ordered):
        for other_party, later in ordered[i + 1 :]:
            if other_party == party or later.start is None:
                continue
            if earlier.start is not None and earlier.start >= later.start:
                continue
            if earlier.end is None or earlier.end >= later.start:
                earlier.end = later.start - dt.timedelta(days=1)
                earlier.end_precision = "day"
