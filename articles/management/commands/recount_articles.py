from django.core.management.base import BaseCommand

from articles.services import counts


class Command(BaseCommand):
    help = (
        "Recount the published articles per politician, party, topic, source and month from "
        "scratch (after loading rows with raw SQL; ordinary edits and imports keep them right)."
    )

    def handle(self, *args, **options):
        rows = counts.rebuild()
        self.stdout.write(f"{rows:,} count rows written.")
