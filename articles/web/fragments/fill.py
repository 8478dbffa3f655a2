"""``fragment(markup)``: markup with named placeholders, filled with escaped values."""

import html
import keyword
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


def fragment(markup):
    """A function filling ``markup``'s ``{name}`` placeholders from keyword arguments of those
    names, every value escaped unless already safe HTML; it returns a ``SafeString``.

    ``fragment('<a href="{url}">{name}</a>')(url=u, name=n)`` gives what
    ``format_html('<a href="{}">{}</a>', u, n)`` gives. A page fills these thousands of times, so
    the function is generated once per markup (as ``namedtuple`` generates its class): a join of
    the literal pieces and the escaped values, as fast as ``str.format`` over values escaped by
    hand. A missing or unknown argument is a ``TypeError``.
    """
    pieces, names = [], []
    namespace = {"SafeString": SafeString, "html_escape": html.escape, "escape": escape}
    for i, (literal, name, spec, conversion) in enumerate(Formatter().parse(markup)):
        namespace[f"_{i}"] = literal
        pieces.append(f"_{i}")
        if name is None:
            continue
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise ValueError(f"{{{name}}} is not a placeholder name ({markup!r})")
        if spec or conversion:
            raise ValueError(f"{{{name}}} takes no format or conversion ({markup!r})")
        pieces.append(
            f"({name} if type({name}) is SafeString"
            f" else html_escape({name}) if type({name}) is str else escape({name}))"
        )
        if name not in names:
            names.append(name)
    arguments = f"*, {', '.join(names)}" if names else ""
    source = f"def fill({arguments}):\n    return SafeString(''.join(({', '.join(pieces)},)))\n"
    exec(source, namespace)  # noqa: S102 - names checked above; the markup is passed as data
    fill = namespace["fill"]
    fill.markup, fill.names = markup, tuple(names)
    fill.__doc__ = f"``{markup}`` with its placeholders filled, escaped."
    return fill


def join(items, separator=""):
    """``items`` (fragments, or text to escape) joined by ``separator``, as a ``SafeString``."""
    return SafeString(
        separator.join([item if type(item) is SafeString else escape(item) for item in items])
    )
