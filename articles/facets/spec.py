"""The article browser's facets, each declared once.

A facet is a set of values an article has (politicians it mentions, parties on its date, topics,
a source), one entry in ``FACETS`` below naming its URL parameter, model, wording, the
``ArticleQuerySet`` method that selects articles with any of its values, and the table that links
articles to its values (``Link``). The FilterSet's fields, the chips and page titles, the facet
counts (stored, exact or sampled), the estimates, the CSV file names and the API's query schema
are all derived from these entries; the stored counts (``ArticleCount.Dimension``) and the facet
sample (``FacetSampleValue.dimension``) file a facet's values under its ``name``.

Years and months are not value facets: they are single choices counted per month
(``DATES``).
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.text import get_text_list

from articles.models import Author, Party, Politician, Source, Topic


@dataclass(frozen=True)
class Link:
    """Where the values of a facet are kept: rows of ``model`` naming an article (``article``,
    or ``None`` when the value is a column of the article itself) and a value (``key``)."""

    model: str
    key: str
    article: str | None = "article"
    confirmed: bool = False  # only confirmed mentions count
    distinct: bool = False  # several rows of one article may name one value
    extra: tuple = ()  # more conditions on the rows, as (lookup, value) pairs

    def _rows(self, **conditions):
        model = apps.get_model("articles", self.model)
        rows = model.objects.confirmed() if self.confirmed else model.objects.all()
        return rows.filter(**conditions)

    def grouped(self, articles, **conditions):
        """Rows of ``key`` and ``n``: how many of ``articles`` (a queryset) have each value."""
        if self.article is None:
            rows = articles.order_by()
            counted = Count("id")
        else:
            conditions = {f"{self.article}__in": articles.values("pk"), **conditions}
            rows = self._rows(**dict(self.extra), **conditions)
            rows = rows.order_by()  # no join for the default ordering
            counted = Count(self.article, distinct=True) if self.distinct else Count("id")
        return rows.values(key=F(self.key)).annotate(n=counted)

    def having(self, values, **conditions):
        """A condition on articles: they have any of ``values``."""
        field = self.key.removesuffix("_id")
        if self.article is None:
            return Q(**{f"{field}__in": values})
        rows = self._rows(**{self.article: OuterRef("pk"), f"{field}__in": values, **conditions})
        return Exists(rows)


@dataclass(frozen=True)
class FacetSpec:
    name: str  # URL parameter, stored-count dimension, sample dimension
    model: type
    title: str  # heading of the options: "Topics"
    noun: str  # in messages: "There is no topic …"
    filter: str  # the ArticleQuerySet method selecting articles with any of the values
    link: Link
    phrase: str  # in page titles: "on {}" → "Articles on Brexit or Housing"
    api_help: str
    order: tuple = ("name",)  # how options with equal counts are ordered
    owns: tuple = ()  # more parameters left out with it when counting its options
    limit: int | None = None  # options shown, the most frequent first (None: all)
    limit_all: int = 500  # options shown with ``show``
    show: str | None = None  # ``?show=…`` shows up to ``limit_all`` options

    @property
    def parameters(self):
        """The parameters this facet owns (left out when its options are counted)."""
        return (self.name, *self.owns)

    def describe(self, names):
        """The words of a page title for the chosen ``names`` ("on Brexit or Housing")."""
        return self.phrase.format(get_text_list(names, "or"))


POLITICIAN = FacetSpec(
    name="politician",
    model=Politician,
    title="Politicians",
    noun="politician",
    filter="mentioning",
    link=Link("Mention", "politician_id", confirmed=True),
    # One mention per article and politician (unique_mention), so rows count articles.
    phrase="mentioning {}",
    api_help="Politician slugs.",
    order=("sort_name", "name"),
    owns=("role", "together"),
    limit=12,
    show="politicians",
)

FACETS = (
    POLITICIAN,
    FacetSpec(
        name="party",
        model=Party,
        title="Parties",
        noun="party",
        filter="in_party",
        link=Link(
            "Mention", "party_id", confirmed=True, distinct=True, extra=(("party__isnull", False),)
        ),
        phrase="mentioning {}",
        api_help="Party slugs (the party on the article's date).",
    ),
    FacetSpec(
        name="topic",
        model=Topic,
        title="Topics",
        noun="topic",
        filter="about",
        # One row per article and topic (unique_article_topic), so rows count articles.
        link=Link("ArticleTopic", "topic_id"),
        phrase="on {}",
        api_help="Topic slugs.",
    ),
    FacetSpec(
        name="source",
        model=Source,
        title="Sources",
        noun="source",
        filter="from_sources",
        link=Link("Article", "source_id", article=None),
        phrase="from {}",
        api_help="Source slugs.",
    ),
    FacetSpec(
        name="author",
        model=Author,
        title="Authors",
        noun="author",
        filter="by_author",
        link=Link("ArticleAuthor", "author_id"),
        phrase="by {}",
        api_help="Author slugs (articles by any of them).",
        limit=12,
        show="authors",
    ),
)

BY_NAME = {facet.name: facet for facet in FACETS}

#: ``?show=…`` values: the facets whose options are cut at a limit, shown in full.
SHOWN_IN_FULL = {facet.show: facet for facet in FACETS if facet.show}

#: The year facet and the parameters it owns (a single choice, counted per month).
DATES = ("year", "month")

#: Every facet with the parameters each one owns (left out when counting that facet's options).
PARAMETERS = {**{facet.name: facet.parameters for facet in FACETS}, "year": DATES}
