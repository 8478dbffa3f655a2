"""The dates the archive accepts, stated once.

Articles are published from 1 January 1800 up to a year from today (an article may be scheduled
that far ahead). People's dates (birth and death, memberships, posts held, other names) and
parties' founding and dissolution lie between 1 January 1700 and a year from today. Anything
else is a typing slip (31/12/9999, 0001) and is refused where it comes in: model ``clean()``
(so the admin shows a field error), the importers (reported by line) and the article filters.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format


@dataclass(frozen=True)
class DateRange:
    first: dt.date
    what: str  # "An article's date", for messages

    @property
    def last(self):
        """A year from today (the 28th of February on the 29th)."""
        today = timezone.localdate()
        try:
            return today.replace(year=today.year + 1)
        except ValueError:
            return today.replace(year=today.year + 1, day=28)

    def __contains__(self, value):
        try:
            if isinstance(value, dt.datetime):
                value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        except OverflowError:  # the local date would be past the year 9999
            return False
        return self.first <= value <= self.last

    @property
    def message(self):
        return (
            f"{self.what} must be between {date_format(self.first, 'j F Y')} and "
            f"{date_format(self.last, 'j F Y')} (a year from today)."
        )

    def check(self, value, field=None):
        """Raise ValidationError (on ``field`` if given) unless ``value`` (a date or an aware
        datetime) is in the range; None passes."""
        if value is None or value in self:
            return
        raise ValidationError({field: self.message} if field else self.message, code="implausible")


ARTICLES = DateRange(dt.date(1800, 1, 1), "An article's date")
PEOPLE = DateRange(dt.date(1700, 1, 1), "The date")


def check_dates(instance, *fields, dates=PEOPLE):
    """Raise one ValidationError naming each of ``fields`` of ``instance`` out of ``dates``."""
    errors = {}
    for name in fields:
        try:
            dates.check(getattr(instance, name), name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
