from .articles import AmbiguousName, Article, ArticleTopic, Mention, Source, Topic
from .people import OtherName, Party, PartyMembership, Politician, Role

__all__ = [
    "AmbiguousName",
    "Article",
    "ArticleTopic",
    "Mention",
    "OtherName",
    "Party",
    "PartyMembership",
    "Politician",
    "Role",
    "Source",
    "Topic",
]
