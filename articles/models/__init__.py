from . import history  # noqa: F401  (registers revision history)
from .articles import AmbiguousName, Article, ArticleTopic, Mention, Source, Topic
from .counts import ArticleCount
from .generation import ArchiveGeneration
from .people import OtherName, Party, PartyMembership, Politician, Role
from .sample import FacetSample, FacetSampleValue
from .versioning import ConcurrentEditError

__all__ = [
    "AmbiguousName",
    "ArchiveGeneration",
    "Article",
    "ArticleCount",
    "ArticleTopic",
    "ConcurrentEditError",
    "FacetSample",
    "FacetSampleValue",
    "Mention",
    "OtherName",
    "Party",
    "PartyMembership",
    "Politician",
    "Role",
    "Source",
    "Topic",
]
