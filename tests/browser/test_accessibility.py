"""axe-core finds no serious or critical accessibility problems on any page type."""

import pytest

from .archive import page_types, variants
from .tools import AXE, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_TYPES = [
    "home",
    "browse",
    "browse-filtered",
    "search",
    "article",
    "politicians",
    "politician",
    "parties",
    "party",
    "topic",
    "source",
    "dumps",
    "compare",
    "compare-empty",
]


@pytest.fixture
def context_options():
    # axe-core goes in as an inline script, which the site's Content Security Policy forbids.
    return {"bypass_csp": True}


def axe_problems(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_no_serious_accessibility_violations(page, archive, page_type):
    require(AXE, "run `npm ci` to install axe-core")
    url = page_types(archive)[page_type]
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    problems = axe_problems(page)
    assert not problems, f"{url}:\n" + "\n".join(problems)


def test_no_serious_accessibility_violations_in_other_states(page, archive):
    """Answers to parameters that cannot be understood, a search naming someone, and so on."""
    require(AXE, "run `npm ci` to install axe-core")
    for url, status in variants(archive).values():
        response = page.goto(url)
        assert response.status == status, f"{url} answered {response.status}"
        problems = axe_problems(page)
        assert not problems, f"{url}:\n" + "\n".join(problems)
