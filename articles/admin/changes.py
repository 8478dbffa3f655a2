"""What each saved version changed: the field diffs on a record's history page.

django-reversion keeps every version's fields (``Version.field_dict``); each version is compared
with the one before it. Short values are shown as before → after; long texts as the lines that
changed (``difflib``).
"""

import difflib

from django.utils.html import format_html, format_html_join

LONG = 120  # characters: a longer text is shown as the lines that changed
SKIPPED = frozenset({"id", "version", "created_at", "updated_at", "search_vector"})


def _label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field the model no longer has
        return name


def _text(value):
    return "(empty)" if value in (None, "", []) else str(value)


def _line_diff(before, after):
    lines = difflib.unified_diff(
        str(before or "").splitlines(), str(after or "").splitlines(), lineterm="", n=1
    )
    changed = [line for line in lines if not line.startswith(("---", "+++"))]
    return format_html('<pre class="history-diff">{}</pre>', "\n".join(changed[:60]))


def field_changes(model, before, after):
    """[(label, shown change)] between two versions' ``field_dict``s (``before`` may be None)."""
    if before is None:
        return []
    changes = []
    for name, value in after.items():
        if name in SKIPPED or before.get(name) == value:
            continue
        old = before.get(name)
        if max(len(str(old or "")), len(str(value or ""))) > LONG or "\n" in str(value or ""):
            shown = _line_diff(old, value)
        else:
            shown = format_html("“{}” → “{}”", _text(old), _text(value))
        changes.append((_label(model, name), shown))
    return changes


def render(changes):
    if not changes:
        return ""
    return format_html(
        '<ul class="history-changes">{}</ul>',
        format_html_join("", "<li><strong>{}</strong>: {}</li>", changes),
    )


def changes_by_revision(model, versions):
    """{revision id: HTML of what its version changed}, for ``versions`` of one record."""
    ordered = sorted(versions, key=lambda v: v.pk)  # in the order they were recorded
    result = {}
    previous = None
    for version in ordered:
        try:
            fields = version.field_dict
        except Exception:  # a version the current model can no longer read
            fields = None
        if fields is not None:
            result[version.revision_id] = render(field_changes(model, previous, fields))
            previous = fields
    return result
