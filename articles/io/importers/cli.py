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


def finish(command, report, *, grouped=False, verbose=False):
    """Print every error as ``FILE:LINE: reason`` (``grouped``: each reason once, with how many
    records and where, and every record with ``verbose``); then the summary. Fail if any record
    did."""
    lines = report.error_lines(verbose=verbose) if grouped else map(str, report.errors)
    for line in lines:
        command.stderr.write(line)
    if report.errors:
        raise CommandError(str(report))
    command.stdout.write(str(report))
