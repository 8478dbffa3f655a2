from . import history  # noqa: F401  (registers revision history)
from .articles import AmbiguousName, Article, ArticleTopic, Mention, Source, Topic
from .counts import ArticleCount, PageGeneration
from .people import (
    Area,
    AreaIdentifier,
    DatePrecision,
    OtherName,
    Party,
    PartyIdentifier,
    PartyMembership,
    Politician,
    PoliticianIdentifier,
    Role,
)
from .sample import FacetSample, FacetSampleState, FacetSampleValue
from .versioning import ConcurrentEditError

__all__ = [
    "AmbiguousName",
    "Area",
    "AreaIdentifier",
    "Article",
    "ArticleCount",
    "ArticleTopic",
    "ConcurrentEditError",
    "DatePrecision",
    "FacetSample",
    "FacetSampleState",
    "FacetSampleValue",
    "Mention",
    "OtherName",
    "PageGeneration",
    "Party",
    "PartyIdentifier",
    "PartyMembership",
    "Politician",
    "PoliticianIdentifier",
    "Role",
    "Source",
    "Topic",
]
