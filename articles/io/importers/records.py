"""One article as read from a file, checked field by field before anything is written."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.models import Article, Mention

from .dates import local_day, parse_published_at
from .report import RecordError

ROLES = {choice.value for choice in Mention.Role}
STATUSES = {choice.value for choice in Article.Status}
_url_validator = URLValidator(schemes=["http", "https"])
# scheme://host[:port], then nothing or a path, query or fragment without spaces. Such a URL is
# valid exactly when its scheme://host[:port] part is, so that part is checked once per import.
_PLAIN_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://[A-Za-z0-9.:\-]+)(?:[/?#]\S*)?\Z")
_valid_origins = set()
# A \ud800-style escape in JSON that is not half of a pair: text no database can store.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_text(value):
    return not value.isascii() and _LONE_SURROGATE.search(value) is not None


@dataclass
class ArticleRecord:
    file: str
    line: int
    headline: str
    body: str
    published_at: object
    source: str
    standfirst: str | None = None
    url: str | None = None
    byline: str | None = None
    topics: list | None = None
    status: str | None = None
    mentions: list | None = None  # [(politician reference, role)]
    published_on: object = field(default=None, repr=False)  # the local date of published_at
    # What identifies the article when it has no URL: source, headline and local date.
    key: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if self.published_on is None:
            self.published_on = local_day(self.published_at)
        self.key = (self.source, self.headline, self.published_on)

    def text(self):
        return "\n".join([self.headline, self.standfirst or "", self.body])


def check_url(url):
    """Raise ValidationError unless ``url`` is an http(s) URL (Django's URLValidator, cached)."""
    plain = _PLAIN_URL.match(url)
    if plain is None or len(url) > _url_validator.max_length:
        _url_validator(url)
        return
    origin = plain.group(1)
    if origin not in _valid_origins:
        _url_validator(origin)
        if len(_valid_origins) > 10_000:
            _valid_origins.clear()
        _valid_origins.add(origin)


def _string(data, key, *, max_length=None, required=False):
    value = data.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing {key}")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{key} must be a string, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise RecordError(f"empty {key}")
    if "\x00" in value:
        raise RecordError(f"{key} contains a NUL character")
    if _not_text(value):
        raise RecordError(f"{key} contains an unpaired surrogate (not valid Unicode text)")
    if max_length and len(value) > max_length:
        raise RecordError(f"{key} is longer than {max_length} characters")
    return value


def _topics(value):
    if value is None:
        return None
    if not isinstance(value, list):
        raise RecordError("topics must be a list of names")
    names = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise RecordError("each topic must be a non-empty name")
        if "\x00" in item:
            raise RecordError("a topic name contains a NUL character")
        if _not_text(item):
            raise RecordError(
                "a topic name contains an unpaired surrogate (not valid Unicode text)"
            )
        if len(item.strip()) > 100:
            raise RecordError("a topic name is longer than 100 characters")
        if item.strip() not in names:
            names.append(item.strip())
    return names


def _mentions(value):
    if value is None:
        return None
    if not isinstance(value, list):
        raise RecordError('mentions must be a list like [{"politician": ..., "role": ...}]')
    mentions, seen = [], set()
    for item in value:
        if not isinstance(item, dict):
            raise RecordError(
                'each mention must be an object like {"politician": ..., "role": ...}'
            )
        reference = item.get("politician")
        if not isinstance(reference, str) or not reference.strip():
            raise RecordError("a mention has no politician (a Popolo id or a name)")
        if "\x00" in reference:
            raise RecordError("a mention's politician contains a NUL character")
        if _not_text(reference):
            raise RecordError("a mention's politician contains an unpaired surrogate")
        role = item.get("role") or Mention.Role.MENTIONED
        if role not in ROLES:
            raise RecordError(
                f"unknown role {role!r} in a mention (expected subject, quoted or mentioned)"
            )
        if reference.strip() not in seen:
            seen.add(reference.strip())
            mentions.append((reference.strip(), role))
    return mentions


def article_record(data, *, file, line, source=None, published_at=None, url=None, zone=None):
    """An ArticleRecord from a decoded JSON object (``source`` etc. fill in missing fields).

    ``zone`` is the archive's time zone, when the caller has it at hand (saves looking it up).
    """
    if not isinstance(data, dict):
        raise RecordError("expected a JSON object (one article per line)")
    headline = _string(data, "headline", max_length=300, required=True)
    body = _string(data, "body", required=True)
    if data.get("published_at") in (None, ""):
        if published_at is None:
            raise RecordError("missing published_at")
        when = published_at
    else:
        when = parse_published_at(data["published_at"])
    source_name = _string(data, "source", max_length=200) or source
    if not source_name:
        raise RecordError("missing source")
    article_url = _string(data, "url", max_length=500) or url
    if article_url:
        try:
            check_url(article_url)
        except ValidationError:
            raise RecordError(f"bad url {article_url!r}") from None
    status = data.get("status")
    if status is not None and status not in STATUSES:
        raise RecordError(f"unknown status {status!r} (expected published or draft)")
    return ArticleRecord(
        file=file,
        line=line,
        headline=headline,
        body=body,
        published_at=when,
        source=source_name,
        standfirst=_string(data, "standfirst"),
        url=article_url or None,
        byline=_string(data, "byline", max_length=200),
        topics=_topics(data.get("topics")),
        status=status,
        mentions=_mentions(data.get("mentions")),
        published_on=local_day(when, zone),
    )
