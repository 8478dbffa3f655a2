from django.core.management.base import BaseCommand

from articles.io.importers.cli import Progress, finish
from articles.io.importers.popolo import import_popolo


class Command(BaseCommand):
    help = (
        "Import politicians, parties, memberships, posts and areas from a Popolo JSON file "
        "(EveryPolitician and parlparse files as published). Each problem is printed once with "
        "how many records have it; -v 2 lists every record."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Popolo JSON (persons, organizations, memberships).")
        parser.add_argument(
            "--atomic", action="store_true", help="Write nothing if any record fails."
        )

    def handle(self, *args, file, atomic, **options):
        report = import_popolo(file, atomic=atomic, progress=Progress(self))
        finish(self, report, grouped=True, verbose=options["verbosity"] >= 2)
