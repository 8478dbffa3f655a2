"""HTML fragments the readers' pages repeat dozens of times, rendered in Python.

Each module holds one fragment's markup, made with ``fragment()`` from templates with named
placeholders, and the function that fills them. A fill escapes every value that is not already
safe HTML (what ``conditional_escape`` does), so no caller escapes by hand; a fragment's output is
a ``SafeString`` and goes into another fragment as it is. ``web/templatetags/fragment_tags.py``
and ``facet_tags.py`` register them as template tags. Their expected HTML is in
``tests/snapshots/`` (docs/architecture.md says how to change a fragment).
"""

from .fill import escape, fragment, join

__all__ = ["escape", "fragment", "join"]
