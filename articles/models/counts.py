"""Counts of published articles per facet value and month, kept by the model layer.

The unfiltered article browser, the year and month views, the politicians' and parties' coverage
charts and the home page read these rows instead of counting a million articles. The rows are
written by ``articles.derived.counts`` whenever articles, mentions, topics or memberships change
(and rebuilt from scratch by ``manage.py recount_articles``); readers subtract the few published
articles whose date has not come yet, so the figures shown are exact.
"""

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

_UNKNOWN = object()


class ArticleCount(models.Model):
    class Dimension(models.TextChoices):
        ALL = "all", "All articles"
        POLITICIAN = "politician", "Politician"
        PARTY = "party", "Party (as of the article's date)"
        TOPIC = "topic", "Topic"
        SOURCE = "source", "Source"

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.BigIntegerField(
        help_text="Id of the politician, party, topic or source; 0 for all."
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


class PageGeneration(models.Model):
    """One row whose number changes whenever the archive does: the key of cached pages."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return str(self.number)


# -- single edits ---------------------------------------------------------------------------------
# Saves and deletes of articles, mentions and topics (from forms, restores or fixtures) recount
# the months they touch. Bulk changes go through ``articles.derived.counts.tracking`` instead.


def _service():
    from articles.derived import counts

    return counts


@receiver(pre_save, sender="articles.Article")
def _article_saving(sender, instance, **kwargs):
    month_of = _service().month_of
    months = {month_of(instance.published_at)}
    old = instance.__dict__.pop("_stored_published_at", _UNKNOWN)
    if old is _UNKNOWN and instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("published_at", flat=True).first()
    if old not in (None, _UNKNOWN):
        months.add(month_of(old))
    instance._count_months = months


@receiver(post_save, sender="articles.Article")
def _article_saved(sender, instance, **kwargs):
    _service().months_changed(instance.__dict__.pop("_count_months", set()))


@receiver(post_delete, sender="articles.Article")
def _article_deleted(sender, instance, **kwargs):
    service = _service()
    service.months_changed({service.month_of(instance.published_at)})


@receiver(post_save, sender="articles.Mention")
@receiver(post_delete, sender="articles.Mention")
def _mention_changed(sender, instance, **kwargs):
    if instance.published_on:
        _service().months_changed({(instance.published_on.year, instance.published_on.month)})


@receiver(post_save, sender="articles.ArticleTopic")
@receiver(post_delete, sender="articles.ArticleTopic")
def _topic_changed(sender, instance, **kwargs):
    service = _service()
    published_at = (
        sender._meta.get_field("article")
        .related_model.objects.filter(pk=instance.article_id)
        .values_list("published_at", flat=True)
        .first()
    )
    if published_at:
        service.months_changed({service.month_of(published_at)})


@receiver(m2m_changed, sender="articles.ArticleTopic")
def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    service = _service()
    Article = sender._meta.get_field("article").related_model
    if not reverse:
        dates = [instance.published_at]
    elif action == "pre_clear":  # topic.articles.clear(): note the articles before they go
        dates = instance.articles.values_list("published_at", flat=True)
        instance._count_months = {service.month_of(d) for d in dates}
        return
    elif action == "post_clear":
        dates = ()
    else:  # topic.articles.add(...): the articles are in pk_set
        dates = Article.objects.filter(pk__in=pk_set or ()).values_list("published_at", flat=True)
    if action.startswith("post_"):
        months = {service.month_of(d) for d in dates} | instance.__dict__.pop(
            "_count_months", set()
        )
        service.months_changed(months)
