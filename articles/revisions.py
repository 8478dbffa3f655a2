"""History for changes made outside a record's change form: bulk admin actions and imports.

Each record gets a revision of its own, because restoring a record from its history page reverts
the whole revision it is in: one revision for fifty published articles would put all fifty back.
"""

from contextvars import copy_context

import reversion
from reversion import revisions as reversion_revisions
from reversion.models import Version

INITIAL_VERSION = "Initial version."


def record_revisions(objects, *, comment, user=None):
    """Save a revision for each of ``objects`` as it is now, with ``comment`` and ``user``.

    Call it inside ``transaction.atomic()``. A revision also stores what the model's
    registration follows (an article's mentions, topics and authors): prefetch those to save
    queries.
    """
    # A revision open around the caller (the admin's changelist keeps one open for the whole
    # request) would take these in as one. django-reversion (6.4) keeps its open revisions in a
    # context variable: in a copy of the current context with that one emptied, none is open,
    # while the rest (which database the request reads, for one) stays as it is.
    copy_context().run(_record_each, list(objects), comment, user)


def _record_each(objects, comment, user):
    reversion_revisions._stack.set([])
    for obj in objects:
        with reversion.create_revision(atomic=False):
            reversion.set_user(user)
            reversion.set_comment(comment)
            reversion.add_to_revision(obj)


def without_history(objects):
    """Those of ``objects`` (all of one model) that have no version in their history yet."""
    objects = list(objects)
    if not objects:
        return []
    recorded = set(
        Version.objects.get_for_model(type(objects[0]))
        .filter(object_id__in=[str(obj.pk) for obj in objects])
        .values_list("object_id", flat=True)
    )
    return [obj for obj in objects if str(obj.pk) not in recorded]
