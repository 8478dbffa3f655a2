"""Forms and formsets behind the admin pages."""

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
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format

from articles.models import Article, Mention, Topic
from articles.models.base import ranges_overlap

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
    # Topics go through ArticleTopic, which the admin will not edit as a plain field.
    topic_choices = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        label="Topics",
        widget=AutocompleteSelectMultiple(Article._meta.get_field("topics"), admin.site),
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
        self.instance.topics.set(self.cleaned_data["topic_choices"])


class MentionForm(forms.ModelForm):
    class Meta:
        model = Mention
        fields = ["politician", "role", "state"]
        help_texts = {"state": MENTION_STATE_HELP}


class NonOverlappingFormSet(forms.BaseInlineFormSet):
    """Dated rows of one parent that may not overlap while they agree on ``same_fields``.

    The whole submit is checked at once: the rows with their new dates, plus any rows of the
    parent that are not in the form. (The model's own check compares one row with the database,
    which still holds the old dates of the other rows being changed.)
    """

    same_fields = ()
    overlap_message = "This overlaps {other} in this form."

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Dates in order still checked per row; overlaps are checked here, on the whole submit.
        form.instance.clean = form.instance.clean_dates
        return form

    def _rows(self):
        for form in self.forms:
            if self._should_delete_form(form) or not form.is_valid():
                continue
            data = form.cleaned_data
            if not data:
                continue
            key = tuple(getattr(data.get(f), "pk", data.get(f)) for f in self.same_fields)
            yield form, key, data.get("start_date"), data.get("end_date")

    def clean(self):
        super().clean()
        rows = list(self._rows())
        in_form = [f.instance.pk for f in self.initial_forms if f.instance.pk]
        if self.instance.pk is not None:
            others = self.model._default_manager.filter(**{self.fk.name: self.instance})
            attnames = [self.model._meta.get_field(f).attname for f in self.same_fields]
            for row in others.exclude(pk__in=in_form):
                key = tuple(getattr(row, name) for name in attnames)
                rows.insert(0, (None, key, row.start_date, row.end_date))
        for i, (form, key, start, end) in enumerate(rows):
            if form is None:
                continue
            for _, other_key, other_start, other_end in rows[:i]:
                if key == other_key and ranges_overlap(start, end, other_start, other_end):
                    other = _period(other_start, other_end)
                    form.add_error(None, self.overlap_message.format(other=other))
                    break

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


def _period(start, end):
    start = date_format(start, "j F Y") if start else "?"
    end = date_format(end, "j F Y") if end else "present"
    return f"{start} to {end}"


class MembershipFormSet(NonOverlappingFormSet):
    same_fields = ("party",)
    overlap_message = "This overlaps another membership of the same party ({other})."


class RoleFormSet(NonOverlappingFormSet):
    same_fields = ("title",)
    overlap_message = (
        "This person holds this post in another row for an overlapping time ({other})."
    )
