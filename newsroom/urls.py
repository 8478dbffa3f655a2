from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.io import feeds
from articles.io.api import api
from articles.io.exports import views as exports
from articles.io.sitemaps import sitemaps
from articles.web.views.health import healthz

feed_patterns = [
    path("articles/", feeds.SearchFeed(), name="articles"),
    path("articles/atom/", feeds.atom(feeds.SearchFeed)(), name="articles-atom"),
    path("politicians/<slug:slug>/", feeds.PoliticianFeed(), name="politician"),
    path(
        "politicians/<slug:slug>/atom/",
        feeds.atom(feeds.PoliticianFeed)(),
        name="politician-atom",
    ),
    path("parties/<slug:slug>/", feeds.PartyFeed(), name="party"),
    path("parties/<slug:slug>/atom/", feeds.atom(feeds.PartyFeed)(), name="party-atom"),
    path("topics/<slug:slug>/", feeds.TopicFeed(), name="topic"),
    path("topics/<slug:slug>/atom/", feeds.atom(feeds.TopicFeed)(), name="topic-atom"),
]

export_patterns = [
    path("export/popolo.json", exports.popolo_json, name="popolo"),
    path("articles/export.csv", exports.articles_csv, name="articles-csv"),
    path("export/dumps/", exports.dumps, name="dumps"),
    path("export/dumps/<str:name>", exports.dump_file, name="dump-file"),
    path(
        "politicians/<slug:slug>/timeline.json",
        exports.politician_timeline_json,
        name="timeline-json",
    ),
    path("politicians/<slug:slug>/timeline/", exports.politician_timeline, name="timeline"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("feeds/", include((feed_patterns, "feeds"))),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": sitemaps,
            "sitemap_url_name": "sitemap-section",
            "template_name": "sitemaps/index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps, "template_name": "sitemaps/section.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", exports.robots_txt, name="robots"),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    # Before the readers' pages, so that these win over /articles/… and /politicians/<slug>/….
    path("", include((export_patterns, "exports"))),
    path("", include("articles.web.urls")),
]

# A dead link gets the site's header, a search box and names close to the one asked for; a
# failure gets 500.html from Django's own view, which needs no database.
handler404 = "articles.web.views.errors.page_not_found"
