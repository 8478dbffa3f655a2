from .legacy import (
    article_detail,
    article_list,
    home,
    party_detail,
    party_list,
    politician_detail,
    politician_list,
    source_detail,
    topic_detail,
)

__all__ = [
    "article_detail",
    "article_list",
    "home",
    "party_detail",
    "party_list",
    "politician_detail",
    "politician_list",
    "source_detail",
    "topic_detail",
]
