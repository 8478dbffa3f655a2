"""Every signal receiver of the app, connected once by ``ArticlesConfig.ready()``."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .generation import bump


def _changed(sender, using=None, **kwargs):
    bump(using=using)


def _relation_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        bump(using=using)


def connect(app_config):
    """Bump on every save, delete and many-to-many change of ``app_config``'s models."""
    for model in app_config.get_models(include_auto_created=True):
        if model._meta.object_name == "PageGeneration":
            continue
        label = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=f"page-cache-m2m-{label}")
