"""Counts of published articles per facet value and month, kept by the model layer.

The unfiltered article browser, the year and month views, the politicians' and parties' coverage
charts and the home page read these rows instead of counting a million articles. The rows are
written only by ``articles.derived`` whenever articles, mentions, topics or memberships change
(and rebuilt from scratch by ``manage.py recount_articles``); readers subtract the few published
articles whose date has not come yet, so the figures shown are exact.
"""

from django.db import models


class ArticleCount(models.Model):
    class Dimension(models.TextChoices):
        ALL = "all", "All articles"
        POLITICIAN = "politician", "Politician"
        PARTY = "party", "Party (as of the article's date)"
        TOPIC = "topic", "Topic"
        SOURCE = "source", "Source"
        AUTHOR = "author", "Author"

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.BigIntegerField(
        help_text="Id of the politician, party, topic, source or author; 0 for all."
    )
    year = models.SmallIntegerField(help_text="0: every year.")
    month = models.SmallIntegerField(help_text="0: the whole year (or every year).")
    n = models.IntegerField(help_text="Published articles, whatever their date.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "year", "month", "key"], name="unique_article_count"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=0, month__lte=12), name="article_count_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month=0) | models.Q(year__gt=0), name="article_count_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["dimension", "key", "year", "month"],
                include=["n"],
                name="article_count_key",
            ),
            # A period's values, largest first, read from the index alone (facet options).
            models.Index(
                fields=["dimension", "year", "month", "-n"],
                include=["key"],
                name="article_count_largest",
            ),
        ]

    def __str__(self):
        period = f"{self.year}-{self.month:02d}" if self.year else "all years"
        return f"{self.dimension} {self.key} {period}: {self.n}"
