"""A loud refusal of bulk writes that would leave derived data stale.

``QuerySet.update()``, ``bulk_update()`` and ``bulk_create()`` skip the model signals through
which single edits reach ``articles.derived``. On the models other data is derived from
(articles, mentions, topic rows, party memberships: their querysets are ``TrackedQuerySet``),
such writes belong inside ``derived.change()``. With ``DERIVED_GUARD`` on (the default with
``DEBUG``, and in tests) a write outside one raises ``StaleDerivedData`` instead of silently
leaving the counts, the sample or the mentions' copies wrong.
"""

from django.conf import settings

from articles.models.querysets import set_bulk_write_guard

from . import gateway, signals

#: Fields no derived fact depends on: updating only these needs no ``derived.change()``.
HARMLESS_FIELDS = frozenset({"version", "updated_at"})


class StaleDerivedData(RuntimeError):
    """A bulk write of a tracked model outside ``derived.change()``."""


def check(queryset, operation, fields):
    """The guard: raise unless the write is inside ``derived.change()`` or cannot matter."""
    if not settings.DERIVED_GUARD or gateway.active() or signals.relation_write.get():
        return
    if fields is not None and fields <= HARMLESS_FIELDS:
        return
    model = queryset.model._meta.object_name
    raise StaleDerivedData(
        f"{model}.objects.{operation}() outside articles.derived.change(): the stored counts, "
        "the facet sample and the mentions' copies would not follow. Wrap the write in "
        "`with derived.change(articles=ids):` (or `politicians=ids` for memberships)."
    )


def install():
    """Have every bulk write of a tracked model checked (it acts while
    ``settings.DERIVED_GUARD`` is on)."""
    set_bulk_write_guard(check)
