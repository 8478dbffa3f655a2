"""The "Editors" group: everything on the archive's models, nothing on users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
MODELS = [
    "article",
    "articleforreview",
    "articletopic",
    "mention",
    "ambiguousname",
    "politician",
    "othername",
    "partymembership",
    "role",
    "party",
    "source",
    "topic",
]
ACTIONS = ["add", "change", "delete", "view"]


def ensure_permissions(apps, using):
    """Permissions are normally created after migrate; the group needs them now."""
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
    finally:
        app_config.models_module = None


def create_editors(apps, schema_editor):
    using = schema_editor.connection.alias
    ensure_permissions(apps, using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="articles", codename__in=codenames
    )
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_mention_rejected_review_list"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
