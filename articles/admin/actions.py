"""Actions on many articles at once (the article list and the review list share them).

Each article an action changes gets a revision of its own in its history, as a save through its
form would; an article with no history yet first gets one of how it was before, so the history
page can put it back.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import F, Prefetch
from django.template.defaultfilters import pluralize

from articles import derived
from articles.models import Article, ArticleAuthor, ArticleTopic, Mention
from articles.revisions import INITIAL_VERSION, record_revisions, without_history
from articles.suggestions import NameIndex, suggest_mentions


def _with_revision_follows(articles):
    """``articles`` with what a revision stores with each (articles/models/history.py), and
    what their names show, read in a few queries."""
    return articles.prefetch_related(
        Prefetch("mentions", queryset=Mention.objects.select_related("politician")),
        Prefetch("articletopic_set", queryset=ArticleTopic.objects.select_related("topic")),
        Prefetch("articleauthor_set", queryset=ArticleAuthor.objects.select_related("author")),
    )


def _articles(n):
    return f"{n} article{pluralize(n)}"


def _selected(queryset):
    """The selected articles as they are now, locked until the action is done."""
    return list(
        _with_revision_follows(
            Article.objects.filter(pk__in=queryset.values("pk")).select_for_update()
        )
    )


def _record(request, before, changed, comment):
    """A revision with ``comment`` for each article whose pk is in ``changed``.

    ``before`` holds the articles as read before the change: those with no history yet are
    recorded from it first.
    """
    changed = set(changed)
    record_revisions(
        without_history(article for article in before if article.pk in changed),
        comment=INITIAL_VERSION,
    )
    record_revisions(
        _with_revision_follows(Article.objects.filter(pk__in=changed)),
        comment=comment,
        user=request.user,
    )


def _set_status(request, queryset, status, comment):
    """Give the selected articles ``status``; how many did not have it already."""
    with transaction.atomic():
        articles = _selected(queryset.exclude(status=status))
        changed = [article.pk for article in articles]
        with derived.change(changed):
            Article.objects.filter(pk__in=changed).update(status=status, version=F("version") + 1)
        _record(request, articles, changed, comment)
    return len(changed)


@admin.action(description="Publish selected articles", permissions=["change"])
def publish(modeladmin, request, queryset):
    n = _set_status(request, queryset, Article.Status.PUBLISHED, "Published (bulk action)")
    modeladmin.message_user(request, f"{_articles(n)} published.", messages.SUCCESS)


@admin.action(description="Unpublish selected articles (back to draft)", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    n = _set_status(request, queryset, Article.Status.DRAFT, "Unpublished (bulk action)")
    modeladmin.message_user(request, f"{_articles(n)} set back to draft.", messages.SUCCESS)


@admin.action(description="Suggest mentions from the text", permissions=["change"])
def suggest(modeladmin, request, queryset):
    index = NameIndex.build()
    added = ambiguous = 0
    changed = []
    with transaction.atomic():
        articles = _selected(queryset)
        for article in articles:
            matches = suggest_mentions(article, index=index)
            added += len(matches.found)
            ambiguous += len(matches.ambiguous)
            if matches.found:
                changed.append(article.pk)
        _record(request, articles, changed, "Suggested mentions (bulk action)")
    modeladmin.message_user(
        request,
        f"{added} mention{pluralize(added)} suggested; "
        f"{ambiguous} ambiguous name{pluralize(ambiguous)} to resolve.",
        messages.SUCCESS,
    )


@admin.action(description="Confirm unambiguous suggestions", permissions=["change"])
def confirm_suggestions(modeladmin, request, queryset):
    index = NameIndex.build()
    added = 0
    changed = set()
    with transaction.atomic():
        articles = _selected(queryset)
        pks = [article.pk for article in articles]
        with derived.change(pks):
            for article in articles:
                found = suggest_mentions(article, index=index, confirm_unambiguous=True).found
                added += len(found)
                if found:
                    changed.add(article.pk)
            suggested = Mention.objects.suggested().filter(article__in=pks)
            changed.update(suggested.values_list("article_id", flat=True))
            confirmed = suggested.update(state=Mention.State.CONFIRMED)
        # Forms opened before this still show the mentions as suggested: make them stale.
        Article.objects.filter(pk__in=pks).update(version=F("version") + 1)
        _record(request, articles, changed, "Confirmed suggestions (bulk action)")
    n = added + confirmed
    modeladmin.message_user(
        request,
        f"{n} mention{pluralize(n)} confirmed in {_articles(len(articles))}. "
        "Ambiguous names are left for you to resolve.",
        messages.SUCCESS,
    )
