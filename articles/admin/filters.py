"""Changelist filters that use the archive's own queries."""

from django.contrib import admin

from ..models import Party, Topic


class PartyFilter(admin.SimpleListFilter):
    """Articles with a confirmed mention of a party member (as of the article's date)."""

    title = "party (via mentions)"
    parameter_name = "party"

    def lookups(self, request, model_admin):
        return Party.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.in_party(int(value))


class TopicFilter(admin.SimpleListFilter):
    title = "topic"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return Topic.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.about(int(value))
