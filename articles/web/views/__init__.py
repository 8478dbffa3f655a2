from .browse import article_detail, article_list
from .compare import compare, compare_csv, compare_json
from .data import open_data
from .home import home
from .people import party_detail, party_list, politician_detail, politician_list
from .subjects import subject_page

__all__ = [
    "article_detail",
    "article_list",
    "compare",
    "compare_csv",
    "compare_json",
    "home",
    "open_data",
    "party_detail",
    "party_list",
    "politician_detail",
    "politician_list",
    "subject_page",
]
