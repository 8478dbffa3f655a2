from django.core.management.base import BaseCommand

from articles.derived import counts
from articles.models import FacetSample


class Command(BaseCommand):
    help = (
        "Recount the published articles per politician, party, topic, source and month from "
        "scratch, and rebuild the facet sample (after loading rows with raw SQL or changing "
        "FACET_SAMPLE_EVERY; ordinary edits and imports keep both right)."
    )

    def handle(self, *args, **options):
        rows = counts.rebuild()
        sampled = FacetSample.objects.count()
        self.stdout.write(f"{rows:,} count rows written; {sampled:,} articles in the facet sample.")
