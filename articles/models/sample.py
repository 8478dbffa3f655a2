"""A fixed sample of the archive, for facet counts over large selections ("about 12,000").

Every published article whose id is a multiple of ``settings.FACET_SAMPLE_EVERY`` (100 unless
set) has a ``FacetSample`` row: its date, source and search vector, and one ``FacetSampleValue``
per politician it mentions (also under the mention's role), party on its date and topic. These
few narrow rows answer "how many articles of this selection mention X" in milliseconds,
multiplied up by the sampling rate; the browser shows such figures as "about N" and counts
exactly whenever a selection is small enough to count quickly.

The rows are kept right by ``articles.services.sample``, called from the same places that keep
``ArticleCount`` right.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Exists, OuterRef

from ..querysets import DateRangeMixin, _ids, web_search

# FacetSampleValue.dimension: a politician mentioned (also recorded under the mention's role,
# "subject", "quoted" or "mentioned", for the browser's role filter), a party on the article's
# date, a topic.
POLITICIAN, PARTY, TOPIC = "politician", "party", "topic"


def sample_every():
    """One article in how many is in the sample."""
    return max(1, int(getattr(settings, "FACET_SAMPLE_EVERY", 100)))


class FacetSampleQuerySet(DateRangeMixin, models.QuerySet):
    """The filters of ``ArticleQuerySet``, over the sample: the browser's ``ArticleFilter``
    applies them unchanged (see ``ArticleFilter.sample``)."""

    def published(self, now=None):
        """Sampled articles readers may see (only published articles are sampled)."""
        from django.utils import timezone

        return self.filter(published_at__lte=now or timezone.now())

    def _with_value(self, dimensions, keys):
        return self.filter(
            Exists(
                FacetSampleValue.objects.filter(
                    sample=OuterRef("pk"), dimension__in=dimensions, key__in=keys
                )
            )
        )

    def mentioning(self, *politicians, role=None):
        roles = [role] if isinstance(role, str) else list(role or ())
        return self._with_value(roles or [POLITICIAN], _ids(politicians))

    def in_party(self, *parties):
        return self._with_value([PARTY], _ids(parties))

    def about(self, *topics):
        return self._with_value([TOPIC], _ids(topics))

    def from_sources(self, *sources):
        return self.filter(source_id__in=_ids(sources))

    def search(self, text):
        text = (text or "").strip()
        if not text:
            return self
        if connections[self.db].vendor == "postgresql":
            return self.filter(search_vector=web_search(text))
        from .articles import Article

        return self.filter(article__in=Article.objects.search(text).values("pk"))


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
