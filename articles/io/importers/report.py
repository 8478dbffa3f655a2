"""What an import did: counts, and each bad record with where it is and why."""

from dataclasses import dataclass, field


class RecordError(Exception):
    """A record that cannot be imported; ``reason`` says why in words an editor understands."""

    def __init__(self, reason, *, detail=""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail  # what differs between records with the same reason


@dataclass(frozen=True)
class FailedRecord:
    file: str
    line: int | str | None
    reason: str
    label: str | None = None  # the record's own id, when it has one
    detail: str = ""

    def __str__(self):
        where = self.file if self.line in (None, "") else f"{self.file}:{self.line}"
        label = f" (id {self.label!r})" if self.label else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{where}: {self.reason}{label}{detail}"


SHOWN_PER_REASON = 3


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[FailedRecord] = field(default_factory=list)
    rolled_back: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def processed(self):
        return self.created + self.updated + self.unchanged + self.failed

    def count(self, outcome):
        """Add one record to ``outcome``: "created", "updated" or "unchanged"."""
        setattr(self, outcome, getattr(self, outcome) + 1)

    def error(self, file, line, reason, *, label=None, detail=""):
        """Record a failed record (or file) at ``file``:``line``; records that fail for the same
        ``reason`` are reported together, each with its own ``detail``."""
        self.failed += 1
        label = str(label) if isinstance(label, (str, int)) and str(label) else None
        self.errors.append(FailedRecord(str(file), line, str(reason), label, detail))

    def error_lines(self, *, verbose=False):
        """One line per distinct problem: a reason shared by several records is given once,
        with their number and the first few places; ``verbose`` adds every record."""
        groups = {}
        for error in self.errors:
            groups.setdefault((error.file, error.reason), []).append(error)
        for (file, reason), errors in groups.items():
            if len(errors) == 1:
                yield str(errors[0])
                continue
            places = ", ".join(str(e.line) for e in errors[:SHOWN_PER_REASON])
            more = ", …" if len(errors) > SHOWN_PER_REASON else ""
            yield f"{file}: {reason} ({len(errors):,} records: {places}{more})"
            if verbose:
                yield from (f"  {error}" for error in errors)

    def __str__(self):
        text = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )
        if self.rolled_back:
            text += " (nothing written: --atomic and some records failed)"
        return text
