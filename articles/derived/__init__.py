"""Every denormalised fact of the archive and its single writer.

The mentions' copies of their article's date and party (``mentions``, by the rule in
``parties``), the stored counts (``counts``), the facet sample (``sample``) and the archive
generation (``generation``) are derived from the base tables. Bulk writes of articles, mentions,
topic rows or memberships go inside ``change()`` (``gateway``), which brings all of them up to
date in the same transaction; single saves and deletes reach the same code through the receivers
in ``signals``. ``guard`` refuses bulk writes outside ``change()`` in tests and with debug on.

The package imports the models; the models never import it.
"""


def change(articles=(), *, politicians=()):
    """Around a write of the base tables: keep everything derived from them right.

    See ``articles.derived.gateway.change``.
    """
    from . import gateway

    return gateway.change(articles, politicians=politicians)


def active():
    """Whether a ``change()`` block is open."""
    from . import gateway

    return gateway.active()


def rebuild(*, mentions=True):
    """Rebuild everything derived from scratch (``manage.py recount_articles``); the number of
    count rows written. See ``articles.derived.gateway.rebuild``."""
    from . import gateway

    return gateway.rebuild(mentions=mentions)


def loading():
    """Around a raw bulk load that ``rebuild()`` follows. See ``articles.derived.gateway``."""
    from . import gateway

    return gateway.loading()


__all__ = ["active", "change", "loading", "rebuild"]
