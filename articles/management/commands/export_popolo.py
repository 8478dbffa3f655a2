"""Write the archive's people and parties as Popolo JSON, to a file or to standard output."""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.io.exports.popolo import build_popolo


class Command(BaseCommand):
    help = "Export politicians, parties, memberships and roles as Popolo 1.0.1 JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write (standard output if omitted).")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Scheme and host for the archive links, e.g. https://news.example.org.",
        )

    def handle(self, *args, file=None, base_url=None, **options):
        text = json.dumps(build_popolo(base_url=base_url), ensure_ascii=False, indent=2) + "\n"
        if not file or file == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(file, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}") from error
        self.stderr.write(f"Wrote {file}")
