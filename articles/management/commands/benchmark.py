import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.backends import backend
from articles.models import Article
from articles.tools import benchmark, workloads


class Command(BaseCommand):
    help = "Time the readers' pages on a large archive and write docs/performance.md."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "docs/performance.md")
        )
        parser.add_argument(
            "--import-lines",
            type=int,
            default=100_000,
            help="Lines of the JSONL file timed with import_articles (0: skip).",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="TEXT",
            help="Time only the pages whose name contains TEXT (repeatable); writes no report.",
        )
        parser.add_argument(
            "--csv-export",
            action="store_true",
            help="Also download the full CSV export from gunicorn (production settings).",
        )
        parser.add_argument(
            "--editor-wait",
            type=int,
            default=0,
            metavar="LINES",
            help="Also time an editor's saves during an import of LINES lines (0: skip).",
        )
        parser.add_argument(
            "--no-pages",
            action="store_true",
            help="Skip the page timings (with --csv-export or --editor-wait); writes no report.",
        )
        parser.add_argument(
            "--allow-sqlite", action="store_true", help="Run on SQLite (figures not comparable)."
        )

    def handle(self, *args, articles, repeat, output, import_lines, only, allow_sqlite, **options):
        csv_export, editor_wait = options["csv_export"], options["editor_wait"]
        # A pathological statement fails its page (reported as a 500) instead of hanging the run.
        os.environ.setdefault("PGOPTIONS", "-c statement_timeout=120000")
        if backend().name != "postgresql" and not allow_sqlite:
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        settings.PAGE_CACHE = False  # pages are measured as computed, never as stored
        if Article.objects.count() < articles:
            self.stdout.write(f"Generating an archive of {articles:,} articles…")
            call_command("generate_archive", articles=articles, stdout=self.stdout)
        if backend().name == "postgresql":
            # Timed as a maintained database runs: fresh statistics and visibility map (what
            # autovacuum keeps up; right after generate_archive it may not have run yet).
            self.stdout.write("VACUUM (ANALYZE)…")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        extra = {}
        if csv_export:
            run = workloads.full_csv_export(log=self.stdout.write)
            extra["full CSV export (gunicorn, production settings)"] = (
                f"{run.lines:,} lines, {run.megabytes:,.0f} MB in {run.seconds:.1f} s, "
                f"ends {run.articles_said!r}, peak worker memory {run.peak_worker_mb:.0f} MB"
            )
        if editor_wait and backend().name == "postgresql":
            waits, seconds = workloads.editor_wait_during_import(
                lines=editor_wait, log=self.stdout.write
            )
            extra[f"editor saves during a {editor_wait:,}-line import"] = (
                f"{len(waits)} saves in {seconds:.1f} s: p50 {waits[len(waits) // 2]:.0f} ms, "
                f"p95 {waits[int(len(waits) * 0.95)]:.0f} ms, max {waits[-1]:.0f} ms"
            )
        if options["no_pages"]:
            return
        results = benchmark.run(repeat=repeat, only=only, log=self.stdout.write)
        if only:
            return
        extra["resident memory after the workload"] = f"{benchmark.resident_memory_mb():.0f} MB"
        if import_lines and backend().name == "postgresql":
            rate, seconds = benchmark.import_throughput(lines=import_lines, log=self.stdout.write)
            extra["import_articles throughput"] = (
                f"{rate:,.0f} articles/s ({import_lines:,} JSONL lines in {seconds:.1f} s, "
                "suggestions included, into a separate database)"
            )
        report = benchmark.report_markdown(results, extra=extra)
        path = Path(output)
        if path.exists():  # the hand-written notes at the end survive a new run
            old = path.read_text(encoding="utf-8")
            if benchmark.NOTES_HEADING in old:
                report += "\n" + old[old.index(benchmark.NOTES_HEADING) :]
        path.write_text(report, encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
