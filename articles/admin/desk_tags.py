"""Template tags of the editors' desk (the admin's index page)."""

from django import template
from django.urls import reverse

from articles.models.articles import ArticleForReview

register = template.Library()


@register.inclusion_tag("admin/awaiting_review.html", takes_context=True)
def awaiting_review(context):
    """How many articles have suggestions to confirm or names to resolve, with a link."""
    user = context["request"].user
    allowed = user.has_perm("articles.view_articleforreview")
    return {
        "allowed": allowed,
        "count": ArticleForReview.objects.awaiting_review().count() if allowed else 0,
        "url": reverse("admin:articles_articleforreview_changelist") if allowed else "",
    }
