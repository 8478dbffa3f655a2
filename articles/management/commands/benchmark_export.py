import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from articles.backends import backend
from articles.tools.benchmark import resident_memory_mb


class Command(BaseCommand):
    help = (
        "Time the CSV export of a browser result (default: every article) through the whole "
        "Django stack, and report rows per second and the process's resident memory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--query", default="", help="The browser's query string, e.g. 'year=2016'."
        )
        parser.add_argument("--repeat", type=int, default=1)

    def handle(self, *args, query, repeat, **options):
        settings.PAGE_CACHE = False
        settings.EXPORTS_PER_CLIENT = settings.EXPORTS_SITE_WIDE = 0
        client = Client()
        url = "/articles/export.csv" + (f"?{query}" if query else "")
        self.stdout.write(f"{backend().describe()}: GET {url}")
        for _ in range(repeat):
            memory_before = peak = resident_memory_mb()
            started = time.perf_counter()
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            size = lines = 0
            last = b""
            for number, chunk in enumerate(response.streaming_content):
                size += len(chunk)
                lines += chunk.count(b"\n")
                last = (last + chunk)[-200:]
                if number % 20 == 0:
                    peak = max(peak, resident_memory_mb())
            response.close()
            seconds = time.perf_counter() - started
            rows = lines - 2  # the header and the end marker (a quoted newline would add one)
            self.stdout.write(
                f"{rows:,} rows, {size / 1e6:.1f} MB in {seconds:.2f} s: "
                f"{rows / seconds:,.0f} rows/s; resident memory {memory_before:.0f} MB before, "
                f"{peak:.0f} MB at most; last line {last.splitlines()[-1].decode()!r}"
            )
