"""A fixed sample of the archive, for facet counts over large selections ("about 12,000").

Every published article whose id is a multiple of ``settings.FACET_SAMPLE_EVERY`` (100 unless
set) has a ``FacetSample`` row: its date, source and search vector, and one ``FacetSampleValue``
per politician it mentions (also under the mention's role), party on its date, topic and
author. These
few rows, held in memory by ``articles.facets.sample``, answer "how many articles of this
selection mention X" in microseconds, multiplied up by the sampling rate; the browser shows such
figures as "about N" and counts exactly whenever a selection is small enough to count quickly.

The rows are kept right by ``articles.derived.sample``, called from the same places that keep
``ArticleCount`` right.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.backends import backend

# FacetSampleValue.dimension: a politician mentioned (also recorded under the mention's role,
# "subject", "quoted" or "mentioned", for the browser's role filter), a party on the article's
# date, a topic, an author.
POLITICIAN, PARTY, TOPIC, AUTHOR = "politician", "party", "topic", "author"


def sample_every():
    """One article in how many is in the sample."""
    return max(1, int(getattr(settings, "FACET_SAMPLE_EVERY", 100)))


class FacetSampleQuerySet(models.QuerySet):
    def search(self, text):
        """Sampled articles matching ``text``, as ``ArticleQuerySet.search`` matches articles."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(backend(self.db).sample_search_condition(text))


class FacetSample(models.Model):
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    published_at = models.DateTimeField()
    source_id = models.BigIntegerField()
    search_vector = SearchVectorField(null=True)

    objects = FacetSampleQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["published_at"], name="facet_sample_date")]

    def __str__(self):
        return f"sampled article {self.pk}"


class FacetSampleValue(models.Model):
    sample = models.ForeignKey(FacetSample, on_delete=models.CASCADE, related_name="values")
    dimension = models.CharField(max_length=10)
    key = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "dimension", "key"], name="unique_facet_sample_value"
            )
        ]
        indexes = [
            models.Index(fields=["dimension", "key", "sample"], name="facet_sample_value_key")
        ]

    def __str__(self):
        return f"{self.sample_id}: {self.dimension} {self.key}"
