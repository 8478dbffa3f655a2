"""The editors' admin: articles and their mentions, people and parties, sources and topics."""

from django.conf import settings
from django.contrib import admin

from . import articles, catalogue, people, review  # noqa: F401  (each registers its admins)

admin.site.site_header = f"{settings.ARCHIVE_NAME}: editors"
admin.site.site_title = settings.ARCHIVE_NAME
admin.site.index_title = "Curate the archive"
