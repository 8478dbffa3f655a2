from . import history  # noqa: F401  (registers revision history)
from .articles import (
    AmbiguousName,
    Article,
    ArticleAuthor,
    ArticleTopic,
    Author,
    Mention,
    Source,
    Topic,
)
from .counts import ArticleCount
from .generation import ArchiveGeneration
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
from .sample import FacetSample, FacetSampleValue
from .versioning import ConcurrentEditError

__all__ = [
    "AmbiguousName",
    "ArchiveGeneration",
    "Area",
    "AreaIdentifier",
    "Article",
    "ArticleAuthor",
    "ArticleCount",
    "ArticleTopic",
    "Author",
    "ConcurrentEditError",
    "DatePrecision",
    "FacetSample",
    "FacetSampleValue",
    "Mention",
    "OtherName",
    "Party",
    "PartyIdentifier",
    "PartyMembership",
    "Politician",
    "PoliticianIdentifier",
    "Role",
    "Source",
    "Topic",
]
