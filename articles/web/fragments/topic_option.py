"""A topic as an ``<option>`` of the timeline's topic filter."""

from django.utils.safestring import SafeString

from .fill import fragment, join

OPTION = fragment('<option value="{slug}"{selected}>{name}</option>')
SELECTED = SafeString(" selected")
NOTHING = SafeString("")


def topic_options(topics, chosen):
    """An ``<option>`` per topic, ``chosen`` (a topic or None) selected."""
    return join(
        OPTION(slug=topic.slug, selected=SELECTED if topic == chosen else NOTHING, name=topic.name)
        for topic in topics
    )
