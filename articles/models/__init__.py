from . import history  # noqa: F401  (registers revision history)
from .articles import AmbiguousName, Article, ArticleTopic, Mention, Source, Topic
from .counts import ArticleCount, PageGeneration
from .people import OtherName, Party, PartyMembership, Politician, Role
from .sample import FacetSample, FacetSampleState, FacetSampleValue
from .versioning import ConcurrentEditError

__all__ = [
    "AmbiguousName",
    "Article",
    "ArticleCount",
    "ArticleTopic",
    "ConcurrentEditError",
    "FacetSample",
    "FacetSampleState",
    "FacetSampleValue",
    "Mention",
    "OtherName",
    "PageGeneration",
    "Party",
    "PartyMembership",
    "Politician",
    "Role",
    "Source",
    "Topic",
]
