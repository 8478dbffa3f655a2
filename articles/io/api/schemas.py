"""The API's response shapes: these field names are a contract with API users."""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from articles.facets.spec import FACETS

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
TEXT_PATTERN = r"^[^\x00]*$"
Slugs = list[Annotated[str, Field(pattern=SLUG_PATTERN, max_length=200)]] | None


def _article_query():
    """The article browser's parameters (``/articles/?…``): one facet's values are OR-ed.

    A field per facet of ``articles.facets.spec``, each followed by the parameters it owns.
    """
    owned = {
        "role": (
            Literal["subject", "quoted", "mentioned"] | None,
            Field(None, description="The politician's role in the article."),
        ),
        "together": (
            Literal["1"] | None,
            Field(
                None,
                description="1: articles mentioning every one of the politicians, not any of them.",
            ),
        ),
    }
    fields = {
        "q": (
            str | None,
            Field(None, max_length=200, pattern=TEXT_PATTERN, description="Full-text search."),
        )
    }
    for facet in FACETS:
        fields[facet.name] = (Slugs, Field(None, description=facet.api_help))
        fields.update((name, owned[name]) for name in facet.owns)
    fields.update(
        year=(int | None, Field(None, ge=1800, le=2200)),
        month=(int | None, Field(None, ge=1, le=12, description="With year.")),
        from_=(
            dt.date | None,
            Field(None, alias="from", description="First date, YYYY-MM-DD."),
        ),
        to=(dt.date | None, Field(None, description="Last date, YYYY-MM-DD.")),
        sort=(Literal["newest", "oldest", "relevance"] | None, None),
    )
    namespace = {
        "__doc__": _article_query.__doc__.split("\n")[0],
        "__annotations__": {name: kind for name, (kind, _) in fields.items()},
        "__module__": __name__,
        **{name: default for name, (_, default) in fields.items()},
    }
    return type("ArticleQuery", (Schema,), namespace)


ArticleQuery = _article_query()


class PoliticianQuery(Schema):
    q: str | None = Field(
        None, max_length=200, pattern=TEXT_PATTERN, description="Any name contains this."
    )
    party: str | None = Field(
        None, pattern=SLUG_PATTERN, max_length=200, description="Current party (slug)."
    )


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int = Field(20, ge=1, le=100, description="Results per page.")


class ErrorOut(Schema):
    detail: str


class PartyRef(Schema):
    slug: str
    name: str
    short_name: str
    colour: str
    url: str


class PoliticianRef(Schema):
    slug: str
    name: str
    url: str


class TopicRef(Schema):
    slug: str
    name: str


class SourceRef(Schema):
    slug: str
    name: str


class MentionOut(Schema):
    politician: PoliticianRef
    role: Literal["subject", "quoted", "mentioned"]
    party: PartyRef | None  # the politician's party on the article's date


class ArticleOut(Schema):
    id: int
    headline: str
    slug: str
    url: str
    original_url: str | None
    published_at: dt.datetime
    date: dt.date
    source: SourceRef
    byline: str
    standfirst: str
    summary: str
    topics: list[TopicRef]
    mentions: list[MentionOut]


class FacetOption(Schema):
    value: str
    label: str
    count: int | None  # None for a selected option
    selected: bool
    estimate: bool = False  # the count is rounded from a sample of the archive ("about")


class ArticlePage(Schema):
    count: int
    count_is_estimate: bool = False  # a large selection: ``count`` is rounded from a sample
    next: str | None
    previous: str | None
    results: list[ArticleOut]
    facets: dict[str, list[FacetOption]] | None = None


class OtherNameOut(Schema):
    name: str
    note: str
    start_date: dt.date | None
    end_date: dt.date | None


class MembershipOut(Schema):
    party: PartyRef
    start_date: dt.date | None
    end_date: dt.date | None


class RoleOut(Schema):
    title: str
    organisation: str
    start_date: dt.date | None
    end_date: dt.date | None


class MonthCount(Schema):
    month: str  # YYYY-MM
    articles: int


class PoliticianOut(Schema):
    slug: str
    name: str
    sort_name: str
    url: str
    current_party: PartyRef | None


class PoliticianDetail(PoliticianOut):
    given_name: str
    family_name: str
    birth_date: dt.date | None
    death_date: dt.date | None
    biography: str
    image_url: str
    wikidata_id: str
    other_names: list[OtherNameOut]
    memberships: list[MembershipOut]
    roles: list[RoleOut]
    coverage: list[MonthCount]
    feed_url: str
    timeline_url: str


class PoliticianPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[PoliticianOut]


class PartyOut(PartyRef):
    country: str
    founding_date: dt.date | None
    dissolution_date: dt.date | None
    wikidata_id: str


class PartyMemberOut(Schema):
    politician: PoliticianRef
    start_date: dt.date | None
    end_date: dt.date | None


class PartyDetail(PartyOut):
    description: str
    members: list[PartyMemberOut]
    feed_url: str


class TopicOut(TopicRef):
    url: str
    articles: int


class SourceOut(SourceRef):
    url: str
    homepage: str
    articles: int
