from django.core.management.base import BaseCommand

from articles.tools import benchmark


class Command(BaseCommand):
    help = "Print the benchmark's page mix for this database, one path a line (for the load test)."

    def handle(self, *args, **options):
        for _name, _kind, url in benchmark.workload():
            self.stdout.write(url)
