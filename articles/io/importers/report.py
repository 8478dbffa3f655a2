"""What an import did: counts, and each bad record with where it is and why."""

from dataclasses import dataclass, field


class RecordError(Exception):
    """A record that cannot be imported; ``reason`` says why in words an editor understands."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FailedRecord:
    file: str
    line: int | str | None
    reason: str

    def __str__(self):
        where = self.file if self.line in (None, "") else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"


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

    def error(self, file, line, reason):
        """Record a failed record (or file) at ``file``:``line``."""
        self.failed += 1
        self.errors.append(FailedRecord(str(file), line, str(reason)))

    def __str__(self):
        text = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )
        if self.rolled_back:
            text += " (nothing written: --atomic and some records failed)"
        return text
