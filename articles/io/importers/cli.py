"""What the import commands share: progress lines, error lines and the exit status."""

import time

from django.core.management.base import CommandError


class Progress:
    """Prints ``N records (R/s)`` to the command's stderr; used as an importer's ``progress``."""

    def __init__(self, command, noun="records"):
        self.command = command
        self.noun = noun
        self.started = time.monotonic()

    def __call__(self, done):
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.command.stderr.write(f"{done:,} {self.noun} ({done / elapsed:,.0f}/s)")


def finish(command, report):
    """Print every error as ``FILE:LINE: reason``, then the summary; fail if any record did."""
    for error in report.errors:
        command.stderr.write(str(error))
    if report.errors:
        raise CommandError(str(report))
    command.stdout.write(str(report))
