"""What the compare-coverage page compares: the people and parties named in its query string,
and their monthly coverage read from the stored counts (``ArticleCount``), as the browser
reads them.

A selection is ``?politician=<slug>&party=<slug>``, repeated, up to ``MAX_SUBJECTS`` in any
mix; ``add=<name>`` adds the one politician a name finds. Anything else wrong with it (an
unknown or malformed slug, too many subjects) is a ``BadSelection`` with a sentence to show.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from articles.derived import counts as stored_counts
from articles.models import ArticleCount, Party, Politician

MAX_SUBJECTS = 5
KINDS = ("politician", "party")
SLUG = re.compile(r"^[-\w]{1,200}$", re.ASCII)
NAME_CHARS = 200
SUGGESTIONS = 10


class BadSelection(ValueError):
    """A selection that cannot be shown; ``str()`` says why, in a sentence for the page."""


@dataclass(frozen=True)
class Subject:
    kind: str  # "politician" or "party"
    item: Politician | Party

    @property
    def slug(self):
        return self.item.slug

    @property
    def name(self):
        return self.item.name

    @property
    def url(self):
        return self.item.get_absolute_url()

    @property
    def colour(self):
        """The party's colour; a politician's line takes one of the chart's own."""
        return self.item.colour if self.kind == "party" else None

    @property
    def dimension(self):
        if self.kind == "party":
            return ArticleCount.Dimension.PARTY
        return ArticleCount.Dimension.POLITICIAN


@dataclass(frozen=True)
class Selection:
    subjects: tuple
    notices: tuple = ()
    suggestions: tuple = ()  # (politician, URL adding them) when ``add`` found several

    def __bool__(self):
        return bool(self.subjects)

    def query(self, *, without=None, extra=()):
        """The selection as a query string (without the subject ``without``, plus ``extra``)."""
        pairs = [(s.kind, s.slug) for s in self.subjects if s != without] + list(extra)
        return urlencode(pairs)

    def url(self, name="articles:compare", **kwargs):
        query = self.query(**kwargs)
        return reverse(name) + (f"?{query}" if query else "")

    @property
    def csv_url(self):
        return self.url("articles:compare-csv")

    @property
    def json_url(self):
        return self.url("articles:compare-json")

    @property
    def remove_urls(self):
        return [(s, self.url(without=s)) for s in self.subjects]

    @property
    def full(self):
        return len(self.subjects) >= MAX_SUBJECTS

    @property
    def items(self):
        return [s.item for s in self.subjects]

    @property
    def names(self):
        """“A”, “A and B”, “A, B and C”."""
        names = [s.name for s in self.subjects]
        return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""


def _clean(value):
    return value.replace("\x00", "").strip()


def _slugs(params, kind):
    """The distinct slugs given for ``kind``, in order; empty values (a form's blank choice)
    are skipped, anything that cannot be a slug is refused."""
    slugs = []
    for raw in params.getlist(kind):
        slug = _clean(raw)
        if not slug:
            continue
        if not SLUG.match(slug):
            shown = slug if len(slug) <= 60 else slug[:60] + "…"
            raise BadSelection(
                f"“{shown}” is not the address of a {kind}: use the last part of its page's "
                "address, such as jeremy-corbyn."
            )
        if slug not in slugs:
            slugs.append(slug)
    return slugs


def _too_many(count):
    return BadSelection(
        f"You can compare up to {MAX_SUBJECTS} people or parties at once; "
        f"this asks for {count}. Remove some and try again."
    )


def _named(text, chosen):
    """The politicians ``text`` finds: one by exact address or name, else those whose names
    contain it (up to ``SUGGESTIONS``, most prominent first), leaving out those ``chosen``."""
    exact = list(
        Politician.objects.filter(slug=text.lower()) or Politician.objects.filter(name__iexact=text)
    )
    if len(exact) == 1:
        return exact
    found = Politician.objects.search(text).exclude(pk__in=[p.pk for p in chosen])
    return list(found.order_by("sort_name", "name", "pk")[:SUGGESTIONS])


def read_selection(params, parties):
    """The ``Selection`` the query string ``params`` names; ``parties`` is every party (the
    page lists them all anyway). Raises ``BadSelection``."""
    slugs = {kind: _slugs(params, kind) for kind in KINDS}
    count = sum(len(v) for v in slugs.values())
    if count > MAX_SUBJECTS:
        raise _too_many(count)
    people = {p.slug: p for p in Politician.objects.filter(slug__in=slugs["politician"])}
    party_by_slug = {p.slug: p for p in parties}
    subjects = []
    for kind, found in (("politician", people), ("party", party_by_slug)):
        for slug in slugs[kind]:
            if slug not in found:
                raise BadSelection(f"There is no {kind} at the address “{slug}”.")
            subjects.append(Subject(kind, found[slug]))
    selection = Selection(tuple(subjects))
    name = _clean(params.get("add", ""))[:NAME_CHARS]
    if not name:
        return selection
    chosen = [s.item for s in subjects if s.kind == "politician"]
    matches = _named(name, chosen)
    if not matches:
        raise BadSelection(f"No politician has a name containing “{name}”.")
    if len(matches) == 1:
        if matches[0] in chosen:
            return Selection(selection.subjects, notices=(f"{matches[0].name} is already here.",))
        if selection.full:
            raise _too_many(count + 1)
        added = Subject("politician", matches[0])
        return Selection(
            (*[s for s in subjects if s.kind == "politician"], added, *subjects[len(chosen) :])
        )
    suggestions = tuple(
        (p, selection.url(extra=[("politician", p.slug)])) for p in matches if not selection.full
    )
    return Selection(
        selection.subjects,
        notices=(f"Several politicians match “{name}”: choose one.",),
        suggestions=suggestions,
    )


def salvage(params, parties):
    """What can be kept of a selection that could not be shown: the subjects that exist, so
    the form offers them again (nothing typed is lost)."""
    slugs = {
        kind: list(dict.fromkeys(s for s in map(_clean, params.getlist(kind)) if SLUG.match(s)))
        for kind in KINDS
    }
    people = {p.slug: p for p in Politician.objects.filter(slug__in=slugs["politician"][:50])}
    by_slug = {p.slug: p for p in parties}
    found = [Subject("politician", people[s]) for s in slugs["politician"] if s in people]
    found += [Subject("party", by_slug[s]) for s in slugs["party"] if s in by_slug]
    return Selection(tuple(found))


def most_covered(limit, parties):
    """Example selections for an empty page: the ``limit`` most covered politicians, and as
    many parties, from the stored counts."""
    examples = []
    for kind, model, dimension in (
        ("politician", Politician, ArticleCount.Dimension.POLITICIAN),
        ("party", Party, ArticleCount.Dimension.PARTY),
    ):
        top = stored_counts.largest(dimension, limit)
        if kind == "party":
            found = {p.pk: p for p in parties if p.pk in top}
        else:
            found = model.objects.in_bulk(list(top))
        ranked = sorted(found.values(), key=lambda item: (-top[item.pk], item.name))[:limit]
        if len(ranked) > 1:
            examples.append(Selection(tuple(Subject(kind, item) for item in ranked)))
    return examples


def monthly_coverage(subjects, *, now):
    """{subject: {first day of month: public articles}}, from the stored counts: one query
    per subject, and one for what is published with a date still to come."""
    scheduled = stored_counts.not_yet_public(now)
    return {
        subject: {
            dt.date(y, m, 1): n
            for (y, m), n in stored_counts.monthly(
                subject.dimension, subject.item.pk, now=now, scheduled=scheduled
            ).items()
        }
        for subject in subjects
    }
