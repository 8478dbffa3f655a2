"""Small pieces shared by the archive's models."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify

from . import plausible


def unique_slug(instance, value, *, field="slug", max_length=None):
    """A slug for ``value`` that no other row of ``instance``'s model uses yet."""
    model = type(instance)
    max_length = max_length or model._meta.get_field(field).max_length
    base = (slugify(value) or "item")[: max_length - 8].strip("-") or "item"
    candidate, n = base, 1
    others = (
        model._default_manager.exclude(pk=instance.pk) if instance.pk else model._default_manager
    )
    while others.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def dates_in_order_constraint(name, start="start_date", end="end_date"):
    """A CHECK that ``end`` is not before ``start`` (either may be empty)."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date may not be before the start date.",
    )


def ranges_overlap(start_a, end_a, start_b, end_b):
    """Whether two inclusive date ranges overlap; an empty bound is open-ended."""
    return (end_b is None or start_a is None or start_a <= end_b) and (
        end_a is None or start_b is None or start_b <= end_a
    )


class DatedQuerySet(models.QuerySet):
    """Rows with optional ``start_date`` and ``end_date`` (both inclusive, empty = open)."""

    def active_on(self, on):
        """Rows whose date range includes the date ``on``."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )

    def overlapping(self, start, end):
        """Rows whose date range overlaps ``start``..``end`` (inclusive, empty = open)."""
        qs = self
        if end is not None:
            qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=end))
        if start is not None:
            qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs


class DatedModel(models.Model):
    """A fact that holds from ``start_date`` to ``end_date`` inclusive."""

    start_date = models.DateField(null=True, blank=True, help_text="Empty if not known.")
    end_date = models.DateField(
        null=True, blank=True, help_text="Empty while it still holds (or if not known)."
    )

    class Meta:
        abstract = True

    def is_current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or self.end_date >= on
        )

    def clean_dates(self):
        plausible.check_dates(self, "start_date", "end_date")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date may not be before the start date."})
