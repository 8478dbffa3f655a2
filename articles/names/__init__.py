"""Politicians' names in text: the name index, the matching, and its measurement."""

from .index import NameIndex
from .matching import NameMatches, find_names

__all__ = ["NameIndex", "NameMatches", "find_names"]
