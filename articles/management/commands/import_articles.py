from django.core.management.base import BaseCommand, CommandError

from articles.io.importers.articles import import_articles
from articles.io.importers.cli import Progress, finish
from articles.io.importers.dates import parse_published_at
from articles.io.importers.report import RecordError


class Command(BaseCommand):
    help = (
        "Import articles from .txt files (first line the headline, the rest the body) and "
        ".jsonl files (one JSON article a line). Matched by URL, else by source, headline and "
        "date, so running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".txt or .jsonl files.")
        parser.add_argument("--source", help="Source name for .txt files (created if new).")
        parser.add_argument("--published-at", help="Date or date-time (ISO 8601) for .txt files.")
        parser.add_argument("--url", help="Original URL (one .txt file only).")
        parser.add_argument(
            "--atomic", action="store_true", help="Write nothing if any record fails."
        )
        parser.add_argument(
            "--confirm-suggestions",
            action="store_true",
            help="Confirm the names found unambiguously in articles that list no mentions.",
        )

    def handle(self, *args, files, source, published_at, url, atomic, confirm_suggestions, **o):
        if url and len(files) > 1:
            raise CommandError("--url describes one article: give a single .txt file with it.")
        if published_at:
            try:
                published_at = parse_published_at(published_at, label="--published-at")
            except RecordError as error:
                raise CommandError(error.reason) from None
        report = import_articles(
            files,
            source=source,
            published_at=published_at,
            url=url,
            atomic=atomic,
            confirm_suggestions=confirm_suggestions,
            progress=Progress(self, "articles"),
        )
        finish(self, report)
