"""Forms and formsets behind the admin pages."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminDateWidget,
    AdminSplitDateTime,
    AdminTimeWidget,
    AutocompleteSelectMultiple,
)
from django.db import models
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from articles.formats import archive_date
from articles.models import Article, Author, Mention, PartyMembership, Topic
from articles.models.base import ranges_overlap
from articles.models.people import DatePrecision, overlap_message

from .versioning import VersionedModelForm

# Addresses typed without a scheme are taken as https (Django 6's default).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}

MENTION_STATE_HELP = (
    "Suggested: found in the text; readers do not see it until it is confirmed. "
    "Confirmed: readers see it. Rejected: not this person; the name will not be suggested "
    "again for this article. Deleting a row instead lets the next save suggest it again."
)


DATE_INPUT = "%Y-%m-%d"
TIME_INPUT = "%H:%M"
PUBLISHED_AT_HELP = (
    "Date as year-month-day, for example 2016-06-28; time on the 24-hour clock, for example "
    "14:30. A published article dated ahead appears to readers at that time."
)


class IsoSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs (calendar and clock), always in one format: ISO."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets = [AdminDateWidget(format=DATE_INPUT), AdminTimeWidget(format=TIME_INPUT)]


class ArticleForm(VersionedModelForm):
    # Topics and authors go through ArticleTopic and ArticleAuthor, which the admin will not
    # edit as plain fields.
    topic_choices = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        label="Topics",
        widget=AutocompleteSelectMultiple(Article._meta.get_field("topics"), admin.site),
    )
    author_choices = forms.ModelMultipleChoiceField(
        Author.objects.all(),
        required=False,
        label="Authors",
        help_text="Who wrote it: readers can list an author's articles.",
        widget=AutocompleteSelectMultiple(Article._meta.get_field("authors"), admin.site),
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "status",
            "published_at",
            "source",
            "byline",
            "url",
        ]
        widgets = {"published_at": IsoSplitDateTime}
        help_texts = {"published_at": PUBLISHED_AT_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["topic_choices"].initial = self.instance.topics.all()
            self.fields["author_choices"].initial = self.instance.authors.all()

    def clean_body(self):
        body = self.cleaned_data["body"]
        size = len(body.encode())
        if size > settings.ARTICLE_BODY_MAX_SIZE:
            raise forms.ValidationError(
                "This text is %(size)s (%(bytes)s bytes); an article’s text may be at most "
                "%(limit)s (%(limit_bytes)s bytes). Shorten it or split the article in two. "
                "Nothing was saved; your text is still here.",
                code="too_long",
                params={
                    "size": filesizeformat(size),
                    "bytes": f"{size:,}",
                    "limit": filesizeformat(settings.ARTICLE_BODY_MAX_SIZE),
                    "limit_bytes": f"{settings.ARTICLE_BODY_MAX_SIZE:,}",
                },
            )
        return body

    def save_topics(self):
        """Save the topics and authors chosen (rows of their own tables)."""
        self.instance.topics.set(self.cleaned_data["topic_choices"])
        self.instance.authors.set(self.cleaned_data["author_choices"])


class MentionForm(forms.ModelForm):
    class Meta:
        model = Mention
        fields = ["politician", "role", "state"]
        help_texts = {"state": MENTION_STATE_HELP}


@dataclass
class DatedRow:
    """One dated row of a formset's parent: a form's cleaned values, or a stored row (``form``
    None) that is not in the form."""

    form: forms.BaseForm | None
    values: dict
    start: dt.date | None
    end: dt.date | None
    stored: models.Model | None = None


class NonOverlappingFormSet(forms.BaseInlineFormSet):
    """Dated rows of one parent that may not overlap while they agree on ``same_fields``.

    The whole submit is checked at once: the rows with their new dates, plus any rows of the
    parent that are not in the form. (The model's own check compares one row with the database,
    which still holds the old dates of the other rows being changed.) Of two rows that overlap,
    the one that starts later (or comes later in the form) carries the error, unless only the
    other is in the form.
    """

    same_fields = ()
    overlap_message = "This overlaps {other} in this form."

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Dates in order still checked per row; overlaps are checked here, on the whole submit.
        form.instance.clean = form.instance.clean_dates
        return form

    def dated_rows(self):
        """The rows in the form (valid, not deleted, not empty), after the parent's stored rows
        that are not in the form."""
        rows = []
        in_form = [f.instance.pk for f in self.initial_forms if f.instance.pk]
        if self.instance.pk is not None:
            others = self.model._default_manager.filter(**{self.fk.name: self.instance})
            for row in self.stored_rows(others.exclude(pk__in=in_form)):
                values = {f: getattr(row, f) for f in self.same_fields}
                rows.append(DatedRow(None, values, row.start_date, row.end_date, row))
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid() or not form.cleaned_data:
                continue
            data = form.cleaned_data
            values = {f: data.get(f) for f in self.same_fields}
            rows.append(DatedRow(form, values, data.get("start_date"), data.get("end_date")))
        return rows

    def stored_rows(self, queryset):
        return queryset

    def clashes(self, row, other):
        """Whether two rows may not both hold on a day."""
        return all(row.values[f] == other.values[f] for f in self.same_fields)

    def clash_message(self, row, other):
        return self.overlap_message.format(other=_period(other.start, other.end))

    def clean(self):
        super().clean()
        self.check_overlaps(self.dated_rows())

    def check_overlaps(self, rows):
        reported = set()
        for i, row in enumerate(rows):
            for other in rows[i + 1 :]:
                if not (
                    self.clashes(row, other)
                    and ranges_overlap(row.start, row.end, other.start, other.end)
                ):
                    continue
                later, earlier = (row, other) if _starts_later(row, other) else (other, row)
                if later.form is None:
                    later, earlier = earlier, later
                if later.form is None or id(later) in reported:
                    continue
                later.form.add_error(None, self.clash_message(later, earlier))
                reported.add(id(later))

    def save_existing_objects(self, commit=True):
        if commit:
            # Set changed and deleted rows aside first, so that no half-saved state trips the
            # PostgreSQL exclusion constraint; saving a changed row then inserts it again.
            moving = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk and (form.has_changed() or self._should_delete_form(form))
            ]
            self.model._default_manager.filter(pk__in=moving).delete()
        return super().save_existing_objects(commit)


def _starts_later(a, b):
    """Whether row ``a`` starts after row ``b`` (an empty start is the earliest)."""
    if a.start is None:
        return False
    return b.start is None or a.start > b.start


def _period(start, end):
    start = archive_date(start) if start else "?"
    end = archive_date(end) if end else "present"
    return f"{start} to {end}"


# -- memberships -------------------------------------------------------------------------------

END_EARLIER = "end_earlier"


def end_earlier_offer(form, party, earlier_start, new_start):
    """A button, for a membership form's overlap error, that ends the earlier membership (of
    ``party``) the day before the new one starts and saves; None where that cannot be."""
    if new_start is None or (earlier_start is not None and earlier_start >= new_start):
        return None
    day_before = archive_date(new_start - dt.timedelta(days=1))
    return format_html(
        '<button type="submit" class="button end-earlier" name="{}" value="on">'
        "End the {} membership on {} and save</button>",
        form.add_prefix(END_EARLIER),
        party.name,
        day_before,
    )


def membership_clash_message(form, party_id, other_party, other_start, other_end, new_start):
    message = overlap_message(party_id, other_party, _period(other_start, other_end))
    offer = end_earlier_offer(form, other_party, other_start, new_start)
    return format_html("{} {}", message, offer) if offer else message


def day_before(day):
    return day - dt.timedelta(days=1)


class MembershipForm(VersionedModelForm):
    """A party membership; ``end_earlier`` (sent by the button in an overlap error) ends the
    overlapping earlier membership the day before this one starts."""

    end_earlier = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def mark_ended(self, end):
        """This row's end moved to ``end`` by another row's ``end_earlier``."""
        self.cleaned_data["end_date"] = self.instance.end_date = end
        self.instance.end_precision = DatePrecision.DAY
        if "end_date" not in self.changed_data:
            self.changed_data.append("end_date")


class MembershipFormSet(NonOverlappingFormSet):
    """A politician's party memberships: no two may overlap, whatever their parties."""

    same_fields = ("party",)

    def stored_rows(self, queryset):
        return queryset.select_related("party")

    def clashes(self, row, other):
        return True

    def clash_message(self, row, other):
        party = row.values["party"]
        return membership_clash_message(
            row.form, party.pk, other.values["party"], other.start, other.end, row.start
        )

    def clean(self):
        forms.BaseInlineFormSet.clean(self)
        rows = self.dated_rows()
        self.ended = []  # stored memberships to end: (membership, new end)
        for row in rows:
            if row.form is None or not row.form.cleaned_data.get(END_EARLIER):
                continue
            for other in rows:
                if (
                    other is not row
                    and _starts_later(row, other)
                    and ranges_overlap(row.start, row.end, other.start, other.end)
                ):
                    other.end = day_before(row.start)
                    if other.form is not None:
                        other.form.mark_ended(other.end)
                    else:
                        self.ended.append((other.stored, other.end))
        self.check_overlaps(rows)

    def save(self, commit=True):
        if commit:
            for membership, end in getattr(self, "ended", ()):
                membership.end_date, membership.end_precision = end, DatePrecision.DAY
                membership.save()
        return super().save(commit)


class MembershipAdminForm(MembershipForm):
    """A membership on its own page: checked against the politician's other memberships."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clean = self.instance.clean_dates
        self.ended = []

    def clean(self):
        data = super().clean()
        politician, party = data.get("politician"), data.get("party")
        if politician is None or party is None or self.errors:
            return data
        start, end = data.get("start_date"), data.get("end_date")
        others = (
            PartyMembership.objects.filter(politician=politician)
            .exclude(pk=self.instance.pk)
            .overlapping(start, end)
            .select_related("party")
            .order_by(F("start_date").asc(nulls_first=True), "pk")
        )
        for other in others:
            earlier = start is not None and (other.start_date is None or other.start_date < start)
            if data.get(END_EARLIER) and earlier:
                self.ended.append(other)
                continue
            self.add_error(
                None,
                membership_clash_message(
                    self, party.pk, other.party, other.start_date, other.end_date, start
                ),
            )
            break
        return data

    def end_earlier_memberships(self):
        """End the memberships the editor asked to end, the day before this one starts."""
        for membership in self.ended:
            membership.end_date = day_before(self.cleaned_data["start_date"])
            membership.end_precision = DatePrecision.DAY
            membership.save()


class RoleFormSet(NonOverlappingFormSet):
    same_fields = ("title", "organisation")
    overlap_message = (
        "This person holds this post in this organisation in another row for an overlapping "
        "time ({other})."
    )
