"""How the archive writes dates and checks colours: one rule each, used by the models'
validation, the importers, the browser's chips, the fragments, the charts and the templates.
Imports nothing of the app, so every layer may use it."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.formats import date_format

DATE_FORMAT = "j F Y"  # 28 June 2016

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
HEX_COLOUR_MESSAGE = "Enter a colour as #RRGGBB, e.g. #E4003B."


def archive_date(value):
    """A date (or a datetime, aware ones in the archive's time zone) as “28 June 2016”; empty
    for no date."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATE_FORMAT)


def is_hex_colour(value):
    """Whether ``value`` is a plain #RRGGBB colour (safe inside a style attribute)."""
    return isinstance(value, str) and HEX_COLOUR.match(value) is not None
