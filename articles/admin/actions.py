"""Actions on many articles at once (the article list and the review list share them)."""

from django.contrib import admin, messages
from django.db.models import F
from django.template.defaultfilters import pluralize

from ..models import Article, Mention
from ..services.suggestions import NameIndex, suggest_mentions


def _articles(n):
    return f"{n} article{pluralize(n)}"


@admin.action(description="Publish selected articles", permissions=["change"])
def publish(modeladmin, request, queryset):
    n = queryset.exclude(status=Article.Status.PUBLISHED).update(
        status=Article.Status.PUBLISHED, version=F("version") + 1
    )
    modeladmin.message_user(request, f"{_articles(n)} published.", messages.SUCCESS)


@admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    n = queryset.exclude(status=Article.Status.DRAFT).update(
        status=Article.Status.DRAFT, version=F("version") + 1
    )
    modeladmin.message_user(request, f"{_articles(n)} set back to draft.", messages.SUCCESS)


@admin.action(description="Suggest mentions from the text", permissions=["change"])
def suggest(modeladmin, request, queryset):
    index = NameIndex.build()
    added = ambiguous = 0
    for article in queryset:
        matches = suggest_mentions(article, index=index)
        added += len(matches.found)
        ambiguous += len(matches.ambiguous)
    modeladmin.message_user(
        request,
        f"{added} mention{pluralize(added)} suggested; "
        f"{ambiguous} ambiguous name{pluralize(ambiguous)} to resolve.",
        messages.SUCCESS,
    )


@admin.action(description="Confirm unambiguous suggestions", permissions=["change"])
def confirm_suggestions(modeladmin, request, queryset):
    articles = list(queryset)
    index = NameIndex.build()
    added = sum(
        len(suggest_mentions(article, index=index, confirm_unambiguous=True).found)
        for article in articles
    )
    confirmed = (
        Mention.objects.suggested()
        .filter(article__in=[a.pk for a in articles])
        .update(state=Mention.State.CONFIRMED)
    )
    # Forms opened before this still show the mentions as suggested: make them stale.
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(version=F("version") + 1)
    n = added + confirmed
    modeladmin.message_user(
        request,
        f"{n} mention{pluralize(n)} confirmed in {_articles(len(articles))}. "
        "Ambiguous names are left for you to resolve.",
        messages.SUCCESS,
    )
