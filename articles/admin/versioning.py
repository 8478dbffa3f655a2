"""Nothing lost: change forms carry the version they were opened at, and history with restore.

The version travels in a hidden field. On save the form compares it with the database (locking
the row until the save is done); if someone else saved in between, the save is refused with a
form error and the editor's input stays in the form for them to merge.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import OperationalError, router, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.backends import backend
from articles.models import ConcurrentEditError
from articles.revisions import INITIAL_VERSION, record_revisions, without_history

from .changes import changes_by_revision

STALE = (
    "This {name} was changed by someone else{by} since you opened it, so your changes were not "
    "saved. Your input is kept below: copy what you need, then reload the page to see their "
    "changes and make yours again."
)
THEIRS = "Saved now as: “{value}”. The field shows yours."
#: How often a save rolled back by a deadlock or a serialisation failure is tried again.
CONFLICT_RETRIES = 3
GONE = "This {name} was deleted by someone else since you opened it; your changes were not saved."


def last_changed_by(instance):
    """' (by NAME at TIME)' from the record's history, or '' when the history does not say."""
    version = Version.objects.get_for_object(instance).select_related("revision__user").first()
    if version is None or version.revision.user is None:
        return ""
    when = date_format(timezone.localtime(version.revision.date_created), "j F Y, H:i")
    return f" ({version.revision.user.get_username()}, {when})"


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of its record."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        submitted = cleaned_data.get("version")
        if self.instance.pk and submitted is not None:
            name = self.instance._meta.verbose_name
            current = self.instance.current_version(
                lock=transaction.get_connection().in_atomic_block
            )
            if current is None:
                raise forms.ValidationError(GONE.format(name=name), code="deleted")
            if current != submitted:
                self.show_their_changes()
                raise forms.ValidationError(
                    STALE.format(name=name, by=last_changed_by(self.instance)), code="stale"
                )
            self.instance.version = submitted
        return cleaned_data

    def show_their_changes(self):
        """Beside each field where the saved record differs from what this editor sent, an
        error with the saved value: field, their value (the error), your value (the input)."""
        for name in self.changed_data:
            if name != "version" and name not in self.errors:
                self.add_error(name, THEIRS.format(value=shown(self[name])))


def shown(bound_field, limit=600):
    """A bound field's initial value as an editor would read it (choices by their label)."""
    value = bound_field.initial
    field = bound_field.field
    if value in (None, "", [], ()):
        return "(empty)"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(o) for o in value) or "(empty)"
    if isinstance(field, forms.ModelChoiceField):
        pk = getattr(value, "pk", value)
        return str(field.queryset.filter(pk=pk).first() or value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class RefusedForm(forms.ModelForm):
    """A change form that could not be saved for other editors' saves: shown again with STALE."""

    def clean(self):
        name = self.instance._meta.verbose_name
        raise forms.ValidationError(
            STALE.format(name=name, by=last_changed_by(self.instance)), code="stale"
        )


class VersionedFormMixin:
    """For admins and inlines: the version goes into the form as a hidden field."""

    form = VersionedModelForm

    def get_exclude(self, request, obj=None):
        # The model field is not editable; the form declares its own hidden field for it.
        return [*(super().get_exclude(request, obj) or []), "version"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("version" in options["fields"] for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]


class VersionedAdmin(VersionedFormMixin, VersionAdmin):
    """History and restore (django-reversion), and change forms checked against the version."""

    history_latest_first = True
    object_history_template = "admin/versioned_history.html"

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list")
        if actions:
            versions = Version.objects.get_for_object_reference(
                self.model, unquote(object_id)
            ).select_related("revision")
            diffs = changes_by_revision(self.model, versions)
            for action in actions:
                action["changes"] = diffs.get(action["revision"].pk, "")
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self._record_initial_version(request, object_id)
        for _ in range(CONFLICT_RETRIES):
            try:
                return self._change_once(request, object_id, form_url, extra_context)
            except OperationalError as error:
                if request.method != "POST" or not self._lost_a_race(error):
                    raise
        # Still losing: show the form again, refused, with the editor's input.
        request.save_conflict = True
        return self._change_once(request, object_id, form_url, extra_context)

    def _change_once(self, request, object_id, form_url, extra_context):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as error:
            # Only when two saves race past the form's check; nothing was written.
            name = error.instance._meta.verbose_name
            messages.error(request, STALE.format(name=name, by=""))
            return redirect(request.path)

    def _lost_a_race(self, error):
        # The save was rolled back whole (Django's admin saves in one transaction); tried again,
        # it sees the other save and is refused with STALE, or goes through if that changed
        # nothing it read.
        return backend(router.db_for_write(self.model)).is_conflict(error)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "save_conflict", False):
            return type(form.__name__, (RefusedForm, form), {})
        return form

    def _record_initial_version(self, request, object_id):
        """A record that came in without a revision (an import, say) gets one of how it is now
        before an editor's first change, so that its history page can put it back."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_change_permission(request, obj):
            with transaction.atomic():
                record_revisions(without_history([obj]), comment=INITIAL_VERSION)
