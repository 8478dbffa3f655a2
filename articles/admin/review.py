"""The review list: articles with suggestions to confirm or names to resolve."""

from django.contrib import admin
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from articles.models import AmbiguousName, Mention
from articles.models.articles import ArticleForReview

from .actions import confirm_suggestions, suggest
from .display import publication_state


@admin.register(ArticleForReview)
class ArticleForReviewAdmin(admin.ModelAdmin):
    list_display = ["article", "suggested", "ambiguous", "published_at", "source", "state"]
    list_display_links = None
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    search_fields = ["headline", "body"]
    actions = [suggest, confirm_suggestions]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .awaiting_review()
            .prefetch_related(
                Prefetch(
                    "mentions",
                    queryset=Mention.objects.suggested().select_related("politician"),
                    to_attr="suggested_mentions",
                ),
                Prefetch("ambiguous_names", queryset=AmbiguousName.objects.order_by("name")),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:articles_article_change", object_id)

    @admin.display(description="article", ordering="headline")
    def article(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.headline)

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        return publication_state(obj)

    @admin.display(description="suggested mentions")
    def suggested(self, obj):
        return ", ".join(m.politician.name for m in obj.suggested_mentions) or "–"

    @admin.display(description="ambiguous names")
    def ambiguous(self, obj):
        return ", ".join(a.name for a in obj.ambiguous_names.all()) or "–"
