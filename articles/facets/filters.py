"""The article browser's filters: what a URL like ``/articles/?politician=x&year=2016`` selects.

Values of one facet are OR-ed, facets are AND-ed. Every filter goes through the model layer's
``ArticleQuerySet`` methods; ``ArticleFilter.articles(without=...)`` leaves facets out, which is
what the disjunctive facet counts in ``facets.py`` need.
"""

import datetime as dt
import re
from urllib.parse import quote_plus

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import get_text_list

from articles.backends import backend
from articles.formats import archive_date
from articles.models import Article, Mention, plausible
from articles.search import parse

from .sample import sampled_articles
from .spec import BY_NAME, FACETS, PARAMETERS, POLITICIAN, SHOWN_IN_FULL

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_VALUES = 20


def _encoded(key, values):
    """``key=value`` pairs joined by "&", as ``QueryDict.urlencode()`` writes them."""
    name = quote_plus(key)
    return "&".join(f"{name}={quote_plus(str(value))}" for value in values)


class Sort:
    NEWEST, OLDEST, RELEVANCE = "newest", "oldest", "relevance"
    choices = [(NEWEST, "Newest first"), (OLDEST, "Oldest first"), (RELEVANCE, "Most relevant")]


ROLE_WORDS = {
    Mention.Role.SUBJECT: "about",
    Mention.Role.QUOTED: "quoting",
    Mention.Role.MENTIONED: "mentioning",
}


class SlugsField(forms.Field):
    """Repeated slugs (``?party=labour&party=green``) resolved to objects in one query."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, queryset, noun, **kwargs):
        self.queryset, self.noun = queryset, noun
        super().__init__(**kwargs)

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))

    def clean(self, value):
        slugs = self.to_python(value)
        if len(slugs) > MAX_VALUES:
            raise forms.ValidationError(
                f"Choose at most {MAX_VALUES} values for {self.noun}.",
                code="too_many",
                params={"values": slugs},
            )
        wellformed = [s for s in slugs if SLUG_RE.match(s)]
        found = {o.slug: o for o in self.queryset.filter(slug__in=wellformed)} if wellformed else {}
        unknown = [s for s in slugs if s not in found]
        if unknown:
            names = get_text_list([f"“{s[:60]}”" for s in unknown], "or")
            raise forms.ValidationError(
                f"There is no {self.noun} %(names)s in the archive.",
                code="unknown",
                params={"values": unknown, "names": names},
            )
        return [found[s] for s in slugs]


class SlugsFilter(django_filters.Filter):
    field_class = SlugsField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class BrowseForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("year") and "year" not in self.errors:
            self.add_error("month", "Choose a year to go with the month.")
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "The end date is before the start date.")
        return data


def _date_filter(name, noun):
    return django_filters.DateFilter(
        field_name=name,
        method="filter_dates",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": f"The {noun} date must look like 2016-06-28."},
        validators=[_year_in_range],
    )


def _year_in_range(value):
    year = value if isinstance(value, int) else value.year
    first, last = plausible.ARTICLES.first.year, plausible.ARTICLES.last.year
    if not first <= year <= last:
        raise forms.ValidationError(f"Choose a year between {first} and {last}.")


# Parameters that say how to show the selection, not which articles are in it.
NOT_NARROWING = frozenset({"sort", "show", "page", "year", "month", "together"})


def _has_words(text):
    if not parse(text):
        raise forms.ValidationError(
            "“%(text)s” has no words to search for (very common words such as “the” or “an” "
            "are left out).",
            code="no_words",
            params={"text": text[:60]},
        )


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        validators=[_has_words],
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )
    role = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=Mention.Role.choices,
        error_messages={"invalid_choice": "The role must be subject, quoted or mentioned."},
    )
    together = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=[("1", "Articles mentioning all the chosen politicians")],
        error_messages={"invalid_choice": "Only “together=1” is understood."},
    )
    year = IntegerFilter(
        method="filter_year",
        validators=[_year_in_range],
        error_messages={"invalid": "The year must be a number like 2016."},
    )
    month = IntegerFilter(
        method="filter_nothing",
        min_value=1,
        max_value=12,
        error_messages={
            "invalid": "The month must be a number from 1 to 12.",
            "min_value": "The month must be a number from 1 to 12.",
            "max_value": "The month must be a number from 1 to 12.",
        },
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=Sort.choices,
        error_messages={"invalid_choice": "Sort by newest, oldest or relevance."},
    )

    show = django_filters.ChoiceFilter(
        method="filter_nothing",
        choices=[(show, f"All {facet.title.lower()}") for show, facet in SHOWN_IN_FULL.items()],
        error_messages={
            "invalid_choice": "Only {} is understood.".format(
                get_text_list([f"“show={show}”" for show in SHOWN_IN_FULL], "or")
            )
        },
    )

    # Facets and the parameters each one owns (left out when counting that facet's options).
    FACETS = PARAMETERS

    class Meta:
        model = Article
        fields = []
        form = BrowseForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # Empty values (``?q=&from=`` from a submitted form) mean "not chosen".
        params = QueryDict(mutable=True)
        for key in data or ():
            raw = data.getlist(key) if hasattr(data, "getlist") else data[key]
            values = [str(v) for v in (raw if isinstance(raw, list | tuple) else [raw])]
            values = [v for v in values if v.strip()]
            if key in self.base_filters and values:
                params.setlist(key, values)
        self.params = params
        # Whether the selection starts from every article readers may see (the facet counts
        # can then come from the stored per-month counts).
        self.whole_archive = queryset is None
        if queryset is None:
            queryset = Article.objects.published()
        super().__init__(params, queryset=queryset, **kwargs)

    # Applying the selection.

    def filter_queryset(self, queryset, without=()):
        for name, value in self.form.cleaned_data.items():
            if name not in without:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def articles(self, without=()):
        """The selected articles, leaving out the filters named in ``without``, unordered."""
        self.errors  # noqa: B018 (validates the form once)
        return self.filter_queryset(self.queryset.all(), without={"sort", *without})

    def sample(self, without=()):
        """Like ``articles``, over the facet sample: the same filters applied to the sampled
        articles readers may see (a ``SampleSet``), for estimated counts (``estimates.py``)."""
        self.errors  # noqa: B018 (validates the form once)
        return self.filter_queryset(self.sampled, without={"sort", *without})

    @cached_property
    def sampled(self):
        """Every sampled article readers may see (``articles.facets.sample``)."""
        return sampled_articles(self.queryset.db).published()

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_facet(self, queryset, name, value):
        """Articles with any of the chosen values of facet ``name`` (``spec.FACETS``)."""
        if name == POLITICIAN.name:
            role = self.form.cleaned_data.get("role") or None
            if self.all_together:
                return queryset.mentioning_all(*value, role=role)
            return queryset.mentioning(*value, role=role)
        return getattr(queryset, BY_NAME[name].filter)(*value)

    def filter_year(self, queryset, name, value):
        return queryset.in_year(value, self.form.cleaned_data.get("month") or None)

    def filter_dates(self, queryset, name, value):
        return queryset.between(value, None) if name == "from" else queryset.between(None, value)

    def filter_sort(self, queryset, name, value):
        if value == Sort.OLDEST:
            return queryset.order_by("published_at", "id")
        if value == Sort.RELEVANCE and self.ranked:
            rank = self.backend.rank(self.value("q"))
            return queryset.annotate(rank=rank).order_by("-rank", "-published_at", "-id")
        return queryset.order_by("-published_at", "-id")

    # Reading the selection.

    def value(self, name):
        """The cleaned value of one parameter (None when absent or invalid)."""
        self.errors  # noqa: B018 (validates the form once)
        return self.form.cleaned_data.get(name) or None

    @property
    def all_together(self):
        """Whether the chosen politicians must all be mentioned (``together=1``), not any."""
        return self.value("together") == "1"

    @property
    def backend(self):
        """What the database can do (``articles.backends``)."""
        return backend(self.queryset.db)

    @property
    def ranked(self):
        """Whether results can be ordered by search rank (a search, and a database that ranks)."""
        return bool(self.value("q")) and self.backend.ranks_search

    @property
    def sort_order(self):
        """The order results are in (relevance only for a search)."""
        sort = self.value("sort") or Sort.NEWEST
        return Sort.NEWEST if sort == Sort.RELEVANCE and not self.ranked else sort

    def selected(self, facet):
        """The objects (or values) selected for ``facet``."""
        value = self.value(facet)
        return value if isinstance(value, list) else [] if value is None else [value]

    def only_dates_chosen(self):
        """Whether nothing narrows the whole archive but a year (and month)."""
        narrowing = set(self.params) - NOT_NARROWING
        return self.whole_archive and not narrowing

    def only_facet_chosen(self, facet):
        """Whether ``facet`` alone narrows the whole archive (with a year and month, perhaps)."""
        narrowing = set(self.params) - NOT_NARROWING
        return self.whole_archive and bool(narrowing) and narrowing <= {facet}

    def single_choice(self):
        """(facet, object) when one value of one facet (a politician, a topic…) narrows the
        whole archive (a year and month may go with it), else None."""
        narrowing = set(self.params) - NOT_NARROWING
        if not self.whole_archive or len(narrowing) != 1:
            return None
        (facet,) = narrowing
        chosen = self.selected(facet) if facet in BY_NAME else []
        return (facet, chosen[0]) if len(chosen) == 1 else None

    def is_filtered(self):
        return any(key not in ("sort", "show", "together") for key in self.params)

    # URLs for other states of the browser.

    def url(self, **changes):
        """The browser's URL with ``changes`` (key: list of values, or None to drop the key).

        The same string as changing a copy of ``params`` (without ``page``) and calling its
        ``urlencode()``: a page holds a few hundred of these links, so each key's part of the
        query is encoded once and reused.
        """
        parts = dict(self._encoded_params)
        for key, values in changes.items():
            key = key.rstrip("_")
            if values is None:
                parts.pop(key, None)
            else:
                parts[key] = _encoded(key, values)
        query = "&".join(part for part in parts.values() if part)
        return f"?{query}" if query else "?"

    @cached_property
    def _encoded_params(self):
        return {key: _encoded(key, values) for key, values in self.params.lists() if key != "page"}

    def url_toggling(self, key, value):
        """The URL with ``value`` added to or removed from the values of ``key``."""
        values = self.params.getlist(key)
        values = [v for v in values if v != value] if value in values else [*values, value]
        changes = {key: values or None}
        if key == "politician" and not values:
            changes["role"] = changes["together"] = None
        return self.url(**changes)

    def together_options(self):
        """(label, URL, chosen) for "any of the chosen politicians" and "all of them"."""
        return [
            ("Any of them", self.url(together=None), not self.all_together),
            ("All of them (who appears together)", self.url(together=["1"]), self.all_together),
        ]

    def role_options(self):
        """(label, URL, chosen) for each role the politician filter can be narrowed to."""
        role = self.value("role")
        options = [("Any role", self.url(role=None), not role)]
        for value, label in Mention.Role.choices:
            options.append((label, self.url(role=[value]), role == value))
        return options

    def sort_options(self):
        """(label, URL, chosen) for each order results can be shown in."""
        choices = [c for c in Sort.choices if c[0] != Sort.RELEVANCE or self.ranked]
        return [(label, self.url(sort=[v]), self.sort_order == v) for v, label in choices]

    def hidden_fields(self, *leave_out):
        """(name, value) of every parameter except ``leave_out``, for forms that keep them."""
        return [
            (key, value)
            for key, values in self.params.lists()
            if key not in leave_out
            for value in values
        ]

    def url_without_errors(self):
        """The URL without the parameters (or single values) that could not be understood."""
        changes = {}
        for name, errors in self.form.errors.as_data().items():
            if name == "__all__":
                continue
            unknown = [v for e in errors for v in (e.params or {}).get("values", [])]
            if unknown and errors[0].code == "unknown":
                kept = [v for v in self.params.getlist(name) if v not in unknown]
                changes[name] = kept or None
            else:
                changes[name] = None
        return self.url(**changes)

    def notices(self):
        """Plain-language messages for the parameters that could not be understood."""
        return [str(message) for errors in self.form.errors.values() for message in errors]

    # Describing the selection.

    def chips(self):
        """(label, URL without it) for each selected value, in the order of the page heading."""
        chips = []
        if self.value("q"):
            chips.append((f"Search: “{self.value('q')}”", self.url(q=None)))
        for facet in FACETS:
            for obj in self.selected(facet.name):
                chips.append((obj.name, self.url_toggling(facet.name, obj.slug)))
            if facet is POLITICIAN and self.value("role"):
                role = Mention.Role(self.value("role")).label
                chips.append((f"Role: {role}", self.url(role=None)))
        if self.value("year"):
            chips.append((self.period_label(), self.url(year=None, month=None)))
        if self.value("from"):
            chips.append((f"From {archive_date(self.value('from'))}", self.url(from_=None)))
        if self.value("to"):
            chips.append((f"To {archive_date(self.value('to'))}", self.url(to=None)))
        return chips

    def period_label(self):
        year, month = self.value("year"), self.value("month")
        if not year:
            return ""
        return date_format(dt.date(year, month, 1), "F Y") if month else str(year)

    def _politicians_described(self, names):
        verb = ROLE_WORDS.get(self.value("role"), "mentioning")
        joined = get_text_list(names, "and" if self.all_together else "or")
        both = "both " if self.all_together and len(names) == 2 else ""
        return f"{verb} {both}{joined}"

    def description(self):
        """What the page shows, e.g. “Articles mentioning Jeremy Corbyn, Labour, 2016”."""
        parts = []
        for facet in FACETS:
            names = [obj.name for obj in self.selected(facet.name)]
            if not names:
                continue
            if facet is POLITICIAN:
                parts.append(self._politicians_described(names))
            elif facet.name == "party" and self.selected(POLITICIAN.name):
                parts.append(get_text_list(names, "or"))  # "mentioning X or Y, Labour"
            else:
                parts.append(facet.describe(names))
        start, end = self.value("from"), self.value("to")
        if self.value("year"):
            parts.append(("in ", self.period_label()))
        if start and end:
            parts.append(("from ", f"{archive_date(start)} to {archive_date(end)}"))
        elif start:
            parts.append(f"since {archive_date(start)}")
        elif end:
            parts.append(f"until {archive_date(end)}")
        if self.value("q"):
            parts.append(f"matching “{self.value('q')}”")
        if not parts:
            return "All articles"
        # A bare period reads well after other words ("…, Labour, 2016") but needs a
        # preposition when it comes first ("Articles in 2016").
        words = [p if isinstance(p, str) else p[1] for p in parts]
        if not isinstance(parts[0], str):
            words[0] = "".join(parts[0])
        return "Articles " + ", ".join(words)


def _with_facets(declared):
    """The declared filters with one filter per facet (``spec.FACETS``), each followed by the
    parameters it owns, in the order the page names them; and ``from`` and ``to`` (a Python
    keyword cannot be declared in the class body)."""
    declared = dict(declared)
    filters = {"q": declared.pop("q")}
    for facet in FACETS:
        filters[facet.name] = SlugsFilter(
            field_name=facet.name,
            method="filter_facet",
            queryset=facet.model.objects.all(),
            noun=facet.noun,
        )
        filters.update((name, declared.pop(name)) for name in facet.owns)
    filters.update(declared)
    filters["from"] = _date_filter("from", "start")
    filters["to"] = _date_filter("to", "end")
    return filters


ArticleFilter.base_filters = _with_facets(ArticleFilter.base_filters)
