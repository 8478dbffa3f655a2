"""Sources, topics and authors: the short lists that articles are filed under."""

from django.contrib import admin

from articles.models import Author, Source, Topic

from .forms import HTTPS_URLS


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    fields = ["name", "slug", "homepage"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    list_display = ["name", "homepage"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    list_display = ["name", "slug"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    list_display = ["name", "slug"]
