"""Optimistic locking: a version number on curated records, checked and bumped on every save.

Two editors who open the same record both get its version number. The first save bumps it; the
second save still carries the old number, matches no row, and is refused instead of silently
overwriting the first editor's work.
"""

from django.db import models
from django.db.models import F


class ConcurrentEditError(Exception):
    """The record was saved by someone else since this copy of it was read."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(
            f"{instance._meta.verbose_name.capitalize()} {instance.pk} was changed by someone else "
            f"since version {instance.version} was read."
        )


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up by one on every save; a save based on an older version is refused.",
    )

    class Meta:
        abstract = True

    def current_version(self, *, lock=False):
        """The version stored in the database now (None if the row is gone).

        With ``lock``, first lock the rows of ``lock_order()`` until the transaction ends.
        """
        if lock:
            for rows in self.lock_order():
                list(lock_rows(rows))
        rows = type(self)._base_manager.filter(pk=self.pk).order_by()
        return rows.values_list("version", flat=True).first()

    def lock_order(self):
        """Querysets of the rows to lock, in this order, before this row is saved from a form.

        Every writer locks in one order (a politician before its memberships and roles, ids
        ascending), so two editors saving related rows from two pages wait for each other
        instead of deadlocking. By default: this row alone.
        """
        return [type(self)._base_manager.filter(pk=self.pk)]

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def _save_table(self, raw=False, *args, **kwargs):
        # Restores from history and fixtures save raw: they count as new saves, unchecked.
        self._restoring = raw
        return super()._save_table(raw, *args, **kwargs)

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        if not any(field.attname == "version" for field, _, _ in values):
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        checked = not getattr(self, "_restoring", False)
        values = [
            (field, model, F("version") + 1 if field.attname == "version" else value)
            for field, model, value in values
        ]
        rows = base_qs.filter(version=self.version) if checked else base_qs
        if super()._do_update(rows, using, pk_val, values, update_fields, forced_update):
            self.version = (
                self.version + 1
                if checked
                else base_qs.filter(pk=pk_val).values_list("version", flat=True).get()
            )
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise ConcurrentEditError(self)
        # The row is gone (or was set aside to be inserted again): the insert that follows
        # counts as a new save.
        self.version += 1
        return False


def lock_rows(rows):
    """Lock the rows of the queryset ``rows`` until the transaction ends, by ascending id, and
    only them: no default ordering that joins (and so would lock) another table."""
    return rows.order_by("pk").select_for_update(of=("self",)).values_list("pk", flat=True)
