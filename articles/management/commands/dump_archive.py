from django.conf import settings
from django.core.management.base import BaseCommand

from articles.io.exports.dump import dump_archive


class Command(BaseCommand):
    help = (
        "Write the full-archive dump (every published article as articles.csv.gz and "
        "articles.jsonl.gz) to a folder, replacing the previous one only once complete. "
        "The site offers the dump in EXPORT_DUMP_DIR at /export/dumps/."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=str(settings.EXPORT_DUMP_DIR),
            help="Folder to write to (default: EXPORT_DUMP_DIR, %(default)s).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix for article pages, e.g. https://news.example.org (default: paths).",
        )

    def handle(self, *args, dir, base_url, **options):
        result = dump_archive(directory=dir, base_url=base_url.rstrip("/"))
        for path in result.files:
            self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
        self.stdout.write(f"{result.articles:,} articles.")
