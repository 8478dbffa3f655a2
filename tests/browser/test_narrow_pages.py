"""Readers' lists on a phone: at 390 px nothing makes the page scroll sideways."""

import pytest

from .archive import page_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def widest(page):
    """The element reaching furthest right, for the failure message."""
    return page.evaluate(
        """() => {
          let far = null, right = 0;
          for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect().right;
            if (r > right) { right = r; far = el; }
          }
          return far ? `${far.tagName.toLowerCase()}.${far.className} reaches ${right}px` : '';
        }"""
    )


@pytest.mark.parametrize("page_type", ["politicians", "topic", "source", "party"])
def test_the_page_fits_a_phone_without_sideways_scrolling(page, archive, page_type):
    page.set_viewport_size(PHONE)
    url = page_types(archive)[page_type]
    assert page.goto(url).status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url}: {width}px wide; {widest(page)}"


def test_a_long_name_in_the_politicians_list_still_fits(page, archive):
    from tests.factories import PoliticianFactory

    PoliticianFactory(name="Aleksandrina Featherstonehaugh-Montgomery-Cholmondeley")
    page.set_viewport_size(PHONE)
    assert page.goto("/politicians/?q=featherstonehaugh").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
