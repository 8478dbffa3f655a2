"""Who a Popolo record is: matched on its ``identifiers[]`` before its file-local ``id``.

The same person or party in two files (the Commons and the Scottish Parliament) has different
file-local ids but shares identifiers (Wikidata, parlparse, ...), so identifiers decide first.
A file-local id is trusted only when the record found by it has no identifier of the same scheme
with another value (Irish and UK "Labour" may both be ``labour`` in their own files). Identifiers
of one record that belong to two different archive records are a conflict, reported and never
merged.
"""

from .report import RecordError


def identifiers_of(record, text):
    """The record's ``identifiers[]`` as ``(scheme, identifier)`` pairs, in file order."""
    value = record.get("identifiers") or []
    if not isinstance(value, list):
        raise RecordError("identifiers must be a list")
    pairs = []
    for item in value:
        if not isinstance(item, dict):
            raise RecordError("each of identifiers must be an object")
        if isinstance(item.get("identifier"), int) and not isinstance(item["identifier"], bool):
            item = {**item, "identifier": str(item["identifier"])}  # parlparse has numbers
        scheme, identifier = text(item, "scheme"), text(item, "identifier")
        if not scheme or not identifier:
            raise RecordError("an identifier needs a scheme and an identifier")
        if len(scheme) > 100 or len(identifier) > 200:
            raise RecordError(f"identifier {scheme}:{identifier[:40]} is too long")
        if (scheme, identifier) not in pairs:
            pairs.append((scheme, identifier))
    return pairs


class IdentifierIndex:
    """Every stored identifier of one kind of record, read once per import."""

    def __init__(self, model, owner_field):
        self.model = model
        self.owner_field = owner_field
        self.owners = {}  # (scheme, identifier) -> owner pk
        self.by_owner = {}  # owner pk -> {scheme: {identifiers}}
        for scheme, identifier, owner in model.objects.values_list(
            "scheme", "identifier", f"{owner_field}_id"
        ):
            self._remember(owner, scheme, identifier)

    def _remember(self, owner, scheme, identifier):
        self.owners[(scheme, identifier)] = owner
        self.by_owner.setdefault(owner, {}).setdefault(scheme, set()).add(identifier)

    def find(self, pairs, *, noun, describe):
        """The one owner of any of ``pairs`` (None if none); RecordError if they disagree."""
        found = {}
        for pair in pairs:
            owner = self.owners.get(pair)
            if owner is not None:
                found.setdefault(owner, pair)
        if len(found) > 1:
            (a, pair_a), (b, pair_b) = list(found.items())[:2]
            raise RecordError(
                f"identifiers conflict: {pair_a[0]} {pair_a[1]} is {noun} {describe(a)}, "
                f"{pair_b[0]} {pair_b[1]} is {noun} {describe(b)}; not merged"
            )
        return next(iter(found), None)

    def compatible(self, owner, pairs):
        """Whether ``owner`` has no identifier of a scheme in ``pairs`` with another value."""
        schemes = self.by_owner.get(owner, {})
        return all(
            identifier in schemes[scheme] for scheme, identifier in pairs if scheme in schemes
        )

    def keep(self, owner, pairs):
        """Store the identifiers ``owner`` does not have yet; whether any was added."""
        added = False
        for scheme, identifier in pairs:
            if (scheme, identifier) in self.owners:
                continue
            self.model.objects.create(
                **{f"{self.owner_field}_id": owner}, scheme=scheme, identifier=identifier
            )
            self._remember(owner, scheme, identifier)
            added = True
        return added
