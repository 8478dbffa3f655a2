from django.core.management.base import BaseCommand

from articles import derived
from articles.models import FacetSample


class Command(BaseCommand):
    help = (
        "Rebuild everything derived from scratch: the mentions' copies of their article's date "
        "and party, the counts of published articles per politician, party, topic, source, author "
        "and month, and the facet sample (after loading rows with raw SQL or changing "
        "FACET_SAMPLE_EVERY; ordinary edits and imports keep all of them right)."
    )

    def handle(self, *args, **options):
        rows = derived.rebuild()
        sampled = FacetSample.objects.count()
        self.stdout.write(f"{rows:,} count rows written; {sampled:,} articles in the facet sample.")
