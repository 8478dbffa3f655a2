"""The API's interactive documentation works in a real browser under the site's CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_csp(page):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .information-container .title")
    assert "Political News Archive API" in page.inner_text(".swagger-ui .information-container")
    page.wait_for_selector(".opblock-summary-path")  # the operations, read from openapi.json
    assert page.locator(".opblock-summary-path").count() >= 5
    assert not refused, refused


def test_the_data_page_is_linked_from_the_footer(page):
    page.goto("/")
    page.click("footer >> text=Open data")
    page.wait_for_url("**/data/")
    assert page.locator("table.data-table tbody tr").count() >= 10
