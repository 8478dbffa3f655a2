"""Changelist filters that use the archive's own queries."""

from django.contrib import admin

from articles.models import Party, Topic


class ArchiveQueryFilter(admin.SimpleListFilter):
    """Filters articles by one of ``model``'s rows through an ``ArticleQuerySet`` method."""

    model = None
    method = None

    def lookups(self, request, model_admin):
        return self.model.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return getattr(queryset, self.method)(int(value))


class PartyFilter(ArchiveQueryFilter):
    """Articles with a confirmed mention of a party member (as of the article's date)."""

    title = "party (via mentions)"
    parameter_name = "party"
    model, method = Party, "in_party"


class TopicFilter(ArchiveQueryFilter):
    title = "topic"
    parameter_name = "topic"
    model, method = Topic, "about"
