"""Every denormalised fact of the archive and its single writer.

The mentions' copies of their article's date and party, the stored counts (``ArticleCount``),
the facet sample and the archive generation are derived from the base tables. Bulk writes of
articles, mentions, topics or memberships go inside ``change()``, which brings all of them up to
date; single saves and deletes reach the same code through the receivers in ``signals``.
"""

from .counts import tracking


def change(articles=()):
    """Around a bulk change of ``articles`` (ids, or a queryset of ids): keep what is derived
    from them right (see ``articles.derived.counts.tracking``)."""
    return tracking(articles)


__all__ = ["change"]
