"""Helpers for posting admin forms in tests."""


def inline_rows(prefix, forms=(), initial=0):
    """POST data for an inline formset: its management form and its rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(forms):
        data.update({f"{prefix}-{i}-{key}": value for key, value in form.items()})
    return data
