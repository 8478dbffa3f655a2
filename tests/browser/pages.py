"""Small readers' helpers shared by the browser tests."""

import re

ARTICLE_LINK = "main a[href^='/articles/1'], main a[href^='/articles/2']"


def result_links(page):
    """The distinct article pages linked from the main content, in page order."""
    hrefs = page.locator(ARTICLE_LINK).evaluate_all("links => links.map(a => a.pathname)")
    return list(dict.fromkeys(hrefs))


def facet_option(page, param, slug):
    """The facet link that adds ``param=slug`` (it shows a count; chips and cards don't)."""
    return page.locator(f"main a[href*='{param}={slug}']").filter(has_text=re.compile(r"\d"))


def count_in(text):
    """The count a facet option shows, e.g. 'UKIP 2' or 'Brexit (1,204)'."""
    numbers = re.findall(r"\d[\d,]*", text)
    assert numbers, f"no count in {text!r}"
    return int(numbers[-1].replace(",", ""))
