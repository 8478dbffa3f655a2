"""The archive's generation: the one row that says whether anything has changed."""

from django.db import models


class ArchiveGeneration(models.Model):
    """Two random numbers, replaced in the same transaction as the changes they stand for.

    ``token`` changes with every change to the archive: cached pages are filed under it. It is a
    fresh random number rather than a counter, so a database restored from a backup, or a
    transaction rolled back, never brings back a number that meant other contents.
    ``sample_token`` changes only with the facet sample, which serving processes hold in memory.
    Both are read in one query (``articles.derived.generation``).
    """

    token = models.BigIntegerField(default=0)
    sample_token = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_generation")]

    def __str__(self):
        return f"generation {self.token:x} (sample {self.sample_token:x})"
