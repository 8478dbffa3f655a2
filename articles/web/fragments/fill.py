"""``Fragment``: markup with named placeholders, filled with escaped values."""

import html
from string import Formatter

from django.utils.safestring import SafeString


def escape(value):
    """``value`` as HTML: kept as it is if already safe (``__html__``), else escaped as
    ``{{ value }}`` escapes it (``conditional_escape`` without the lazy wrapper)."""
    if type(value) is str:
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class Fragment:
    """Markup with ``{name}`` placeholders; calling it with ``name=value`` gives a
    ``SafeString`` with every value escaped unless it is already safe HTML.

    A page fills these thousands of times: ``str.format_map`` over escaped values, not
    ``format_html``'s per-call parsing.
    """

    __slots__ = ("markup", "names")

    def __init__(self, markup):
        names = set()
        for _, name, spec, conversion in Formatter().parse(markup):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion:
                raise ValueError(f"Placeholders are plain names, not {{{name}}} ({markup!r})")
            names.add(name)
        self.markup = markup
        self.names = frozenset(names)

    def __call__(self, **values):
        if values.keys() != self.names:
            raise TypeError(f"Fill {sorted(self.names)}, not {sorted(values)}")
        return SafeString(
            self.markup.format_map(
                {
                    key: html.escape(value) if type(value) is str else escape(value)
                    for key, value in values.items()
                }
            )
        )

    def __repr__(self):
        return f"Fragment({self.markup!r})"


def join(items, separator=""):
    """``items`` (fragments, or text to escape) joined by ``separator``, as a ``SafeString``."""
    return SafeString(
        separator.join([item if type(item) is SafeString else escape(item) for item in items])
    )
