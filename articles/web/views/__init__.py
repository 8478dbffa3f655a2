from .browse import article_detail, article_list, home
from .data import open_data
from .people import party_detail, party_list, politician_detail, politician_list
from .subjects import subject_page

__all__ = [
    "article_detail",
    "article_list",
    "home",
    "open_data",
    "party_detail",
    "party_list",
    "politician_detail",
    "politician_list",
    "subject_page",
]
