"""Every signal receiver of the app, connected once by ``ArticlesConfig.ready()``.

Single saves and deletes (forms, the admin, restores from history, fixtures) reach the derived
data here: each receiver names what its row touches on the gateway's ``Change`` (joining an open
``derived.change()`` block, or opening one of its own), and every save, delete and many-to-many
change of the app's models gives the archive a new generation.
"""

import contextvars

from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import gateway, generation, mentions
from .counts import month_of

#: Set while Django's related managers write topic or author rows (``article.topics.add(...)``): the
#: ``m2m_changed`` receiver below keeps the derived data right for those writes.
relation_write = contextvars.ContextVar("derived_relation_write", default=False)

# Rows that are themselves derived, or say nothing readers see: no new generation for them.
_NOT_CONTENT = {"ArchiveGeneration", "ArticleCount", "FacetSample", "FacetSampleValue"}


def _stored(model, pk, field):
    if pk is None:
        return None
    return model._base_manager.filter(pk=pk).values_list(field, flat=True).first()


# -- articles ------------------------------------------------------------------------------------


def _article_saving(sender, instance, raw, **kwargs):
    instance._derived_old_date = _stored(sender, instance.pk, "published_at")


def _article_saved(sender, instance, created, raw, **kwargs):
    old = instance.__dict__.pop("_derived_old_date", None)
    with gateway.change() as block:
        block.months_changed({month_of(instance.published_at)})
        if old is not None:
            block.months_changed({month_of(old)})
        if raw or (old is not None and old != instance.published_at):
            block.dates_changed([instance.pk])


def _article_deleted(sender, instance, **kwargs):
    with gateway.change() as block:
        block.months_changed({month_of(instance.published_at)})


# -- mentions ------------------------------------------------------------------------------------


def _mention_saving(sender, instance, raw, **kwargs):
    if not raw:
        mentions.fill_in(instance)


def _mention_saved(sender, instance, raw, **kwargs):
    with gateway.change() as block:
        if raw:  # a restore or a fixture: the copies are made when the block ends
            block.dates_changed([instance.article_id])  # its copies, with the article's others
            Article = sender._meta.get_field("article").related_model
            published_at = _stored(Article, instance.article_id, "published_at")
            if published_at:
                block.months_changed({month_of(published_at)})
        elif instance.published_on:
            block.months_changed({(instance.published_on.year, instance.published_on.month)})


def _mention_deleted(sender, instance, **kwargs):
    if instance.published_on:
        with gateway.change() as block:
            block.months_changed({(instance.published_on.year, instance.published_on.month)})


# -- topics and authors (rows linking an article to a value) -------------------------------------


def _topic_row_changed(sender, instance, **kwargs):
    published_at = _stored(
        sender._meta.get_field("article").related_model, instance.article_id, "published_at"
    )
    if published_at:
        with gateway.change() as block:
            block.months_changed({month_of(published_at)})


def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    Article = sender._meta.get_field("article").related_model
    if action.startswith("pre_"):
        relation_write.set(True)
        if reverse and action == "pre_clear":  # topic.articles.clear(): note them before
            instance._derived_months = {
                month_of(d) for d in instance.articles.values_list("published_at", flat=True)
            }
        return
    relation_write.set(False)
    if not reverse:
        dates = [instance.published_at]
    elif action == "post_clear":
        dates = ()
    else:  # topic.articles.add(...): the articles are in pk_set
        dates = Article.objects.filter(pk__in=pk_set or ()).values_list("published_at", flat=True)
    months = {month_of(d) for d in dates} | instance.__dict__.pop("_derived_months", set())
    with gateway.change() as block:
        block.months_changed(months)


# -- memberships ---------------------------------------------------------------------------------


def _membership_saving(sender, instance, raw, **kwargs):
    instance._derived_old_politician = _stored(sender, instance.pk, "politician_id")


def _membership_saved(sender, instance, **kwargs):
    old = instance.__dict__.pop("_derived_old_politician", None)
    with gateway.change(politicians={instance.politician_id, old}):
        pass


def _membership_deleted(sender, instance, **kwargs):
    # Queryset deletes and restores that remove rows added since come here too.
    with gateway.change(politicians={instance.politician_id}):
        pass


# -- the generation ------------------------------------------------------------------------------


def _changed(sender, using=None, **kwargs):
    generation.bump(using=using)


def _relation_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        generation.bump(using=using)


def connect(app_config):
    """Connect the receivers above for ``app_config``'s models."""
    model = app_config.get_model
    Article, Mention = model("Article"), model("Mention")
    ArticleTopic, PartyMembership = model("ArticleTopic"), model("PartyMembership")
    ArticleAuthor = model("ArticleAuthor")
    for signal, receiver, sender in (
        (pre_save, _article_saving, Article),
        (post_save, _article_saved, Article),
        (post_delete, _article_deleted, Article),
        (pre_save, _mention_saving, Mention),
        (post_save, _mention_saved, Mention),
        (post_delete, _mention_deleted, Mention),
        (post_save, _topic_row_changed, ArticleTopic),
        (post_delete, _topic_row_changed, ArticleTopic),
        (m2m_changed, _topics_changed, ArticleTopic),
        (post_save, _topic_row_changed, ArticleAuthor),
        (post_delete, _topic_row_changed, ArticleAuthor),
        (m2m_changed, _topics_changed, ArticleAuthor),
        (pre_save, _membership_saving, PartyMembership),
        (post_save, _membership_saved, PartyMembership),
        (post_delete, _membership_deleted, PartyMembership),
    ):
        uid = f"derived-{receiver.__name__}-{sender._meta.model_name}"
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    for each in app_config.get_models(include_auto_created=True):
        if each._meta.object_name in _NOT_CONTENT:
            continue
        label = each._meta.label_lower
        post_save.connect(_changed, sender=each, dispatch_uid=f"generation-save-{label}")
        post_delete.connect(_changed, sender=each, dispatch_uid=f"generation-delete-{label}")
        m2m_changed.connect(_relation_changed, sender=each, dispatch_uid=f"generation-m2m-{label}")
    request_started.connect(generation.request_started, dispatch_uid="generation-request-started")
    request_finished.connect(
        generation.request_finished, dispatch_uid="generation-request-finished"
    )
