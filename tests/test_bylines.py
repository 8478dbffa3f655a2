"""Authors read out of bylines as printed."""

import pytest

from articles.models.bylines import byline_names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("by  Jane   Doe ", ["Jane Doe"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Ann Lee, Jane Doe and Bo Wu", ["Ann Lee", "Jane Doe", "Bo Wu"]),
        ("Ann Lee & Bo Wu", ["Ann Lee", "Bo Wu"]),
        ("Jane Doe and Jane Doe", ["Jane Doe"]),
        ("Sandra Band", ["Sandra Band"]),  # "and" inside a name is not a separator
        ("Archive staff", ["Archive staff"]),
        ("", []),
        (None, []),
        ("By , and", []),
        ("x" * 201, []),
    ],
)
def test_byline_names(byline, names):
    assert byline_names(byline) == names
