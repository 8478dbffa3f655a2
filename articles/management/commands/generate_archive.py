import time

from django.core.management.base import BaseCommand, CommandError

from articles.io.importers.synthetic import ArchiveSpec, generate_archive
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Generate a synthetic archive for benchmarks: invented politicians, parties with dated "
        "memberships (some switch party), topics, sources, authors and N published articles with "
        "bylines and 2-4 confirmed mentions each, skewed so that a few politicians appear in "
        "many articles. "
        "Refuses to run on a database that already has articles unless --append is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many articles.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same archive.")
        parser.add_argument("--politicians", type=int, default=5000)
        parser.add_argument("--parties", type=int, default=40)
        parser.add_argument("--topics", type=int, default=100)
        parser.add_argument("--sources", type=int, default=50)
        parser.add_argument("--authors", type=int, default=300)
        parser.add_argument("--years", type=int, default=25, help="Years of dates.")
        parser.add_argument(
            "--end-year", type=int, default=2025, help="The last year with articles."
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that already has articles (new people, parties, etc. too).",
        )

    def handle(self, *args, append, **options):
        for name in ("articles", "politicians", "parties", "topics", "sources", "authors", "years"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["politicians"] < 4:
            raise CommandError("--politicians must be at least 4 (articles mention up to 4).")
        if Article.objects.exists() and not append:
            raise CommandError(
                "This database already has articles. Use an empty database, or pass --append "
                "to add a synthetic archive next to them."
            )
        spec = ArchiveSpec(**{k: options[k] for k in ArchiveSpec.__dataclass_fields__})
        started = time.monotonic()

        def progress(done):
            elapsed = time.monotonic() - started
            self.stderr.write(f"{done:,} articles ({done / max(elapsed, 1e-6):,.0f}/s)")

        counts = generate_archive(spec, progress=progress)  # counts and sample rebuilt too
        elapsed = time.monotonic() - started
        self.stdout.write(f"{counts} in {elapsed:.1f} s")
