"""The TimelineJS page renders a politician's timeline in the real library, without errors."""

import pytest
from playwright.sync_api import expect

from articles.io.exports.timeline_js import build_timeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_timeline_page_renders_every_event_as_a_slide(page, archive):
    corbyn = archive.politicians.corbyn
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(f"{corbyn.get_absolute_url()}timeline/")

    events = build_timeline(corbyn, base_url=page.url)["events"]
    slides = page.locator(".tl-slide")
    expect(slides.first).to_be_attached()
    # The title slide plus one slide per event.
    expect(slides).to_have_count(len(events) + 1)
    expect(page.locator(".tl-timeline")).to_contain_text("Jeremy Corbyn")
    expect(page.locator(".tl-timemarker").first).to_be_attached()
    assert not console_errors, console_errors
    assert not failed, failed
