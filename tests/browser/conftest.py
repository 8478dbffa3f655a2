"""Playwright fixtures: Debian's Chromium driving pages served by pytest-django's live server."""

import os

import pytest

from .tools import CHROMIUM, require

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "install Debian's chromium package to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def archive(transactional_db):
    from .archive import build_archive

    return build_archive()


@pytest.fixture
def context_options():
    """Extra options for the browser context; a test module may override this fixture."""
    return {}


@pytest.fixture
def page(browser, live_server, archive, context_options):
    """A fresh browser tab on the live server, with the small archive loaded."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **context_options
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
