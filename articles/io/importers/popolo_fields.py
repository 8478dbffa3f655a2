"""Reading the fields of a Popolo record, and writing them onto a model only when they differ."""

from django.core.exceptions import ValidationError

from .files import TooLongNumber
from .popolo_identity import identifiers_of
from .report import RecordError


def validation_text(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def text_of(record, key, *, required=False):
    value = record.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing {key}")
        return ""
    if not isinstance(value, str):
        kind = repr(value) if isinstance(value, TooLongNumber) else type(value).__name__
        raise RecordError(f"{key} must be a string, not {kind}")
    if "\x00" in value:
        raise RecordError(f"{key} contains a NUL character")
    value = value.strip()
    if required and not value:
        raise RecordError(f"empty {key}")
    return value


def objects_of(record, key):
    value = record.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"{key} must be a list")
    for item in value:
        if not isinstance(item, dict):
            raise RecordError(f"each of {key} must be an object")
    return value


def wikidata_of(pairs):
    for scheme, identifier in pairs:
        if scheme.lower() == "wikidata":
            return identifier[:20]
    return ""


def identifier_pairs(record):
    return identifiers_of(record, text_of)


def present(record, values, keys):
    """Only the values whose Popolo key is in ``record``: an absent key leaves a field alone."""
    return {field: value for field, value in values.items() if keys.get(field, field) in record}


def set_changed(instance, values):
    """Set ``values`` on ``instance``; whether anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def validate(instance, exclude=("slug",)):
    try:
        instance.clean_fields(exclude=list(exclude))
        instance.clean()
    except ValidationError as error:
        raise RecordError(validation_text(error)) from None
