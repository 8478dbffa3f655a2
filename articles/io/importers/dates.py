"""Dates as they come in data files: full, partial (``YYYY``, ``YYYY-MM``) or date-times."""

import calendar
import datetime as dt
import re

from django.utils import timezone

from articles.models import plausible

from .report import RecordError

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value, *, end=False, label="date"):
    """A date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (None for empty).

    A partial start means the first day of the year or month; a partial end (``end=True``)
    the last day.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"{label} must be a string like 2016-06-28, not {value!r}")
    match = PARTIAL_DATE.match(value.strip()[:10] if "T" in value else value.strip())
    if not match:
        raise RecordError(f"bad {label} {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, last if end else 1)
        return dt.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise RecordError(f"bad {label} {value!r} (no such day)") from None


def date_precision(value):
    """ "year" for ``YYYY``, "month" for ``YYYY-MM``, else "day" (the default, also for empty)."""
    if isinstance(value, str):
        match = PARTIAL_DATE.match(value.strip())
        if match and match.group(2) is None:
            return "year"
        if match and match.group(3) is None:
            return "month"
    return "day"


def parse_published_at(value, *, label="published_at"):
    """An aware (UTC) datetime from an ISO 8601 date or date-time; naive values are local."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time.min)
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            if len(text) == 10:
                parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time.min)
            else:
                parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise RecordError(
                f"bad {label} {value!r} (expected an ISO 8601 date or date-time)"
            ) from None
    else:
        raise RecordError(f"bad {label} {value!r} (expected an ISO 8601 date or date-time)")
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC: a local time in a DST gap or fold never compares equal to the stored value.
        parsed = parsed.astimezone(dt.UTC)
    except OverflowError:
        parsed = None
    if parsed is None or parsed not in plausible.ARTICLES:
        raise RecordError(f"bad {label} {value!r}: {plausible.ARTICLES.message}")
    return parsed


def local_day(when, zone=None, *, label="published_at"):
    """The local date of the aware datetime ``when`` in ``zone`` (default: the current time
    zone), checked to have a day after it (the importer matches articles by local day)."""
    try:
        on = timezone.localdate(when, zone)
        on + dt.timedelta(days=1)
    except OverflowError:
        raise RecordError(f"{label} {when.isoformat()!r} is out of range") from None
    return on
