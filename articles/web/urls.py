from django.urls import path

from articles.models import ArticleCount, Author, Source, Topic

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="list"),
    path("data/", views.open_data, name="data"),
    path("compare/", views.compare, name="compare"),
    path("compare/data.csv", views.compare_csv, name="compare-csv"),
    path("compare/data.json", views.compare_json, name="compare-json"),
    path(
        "articles/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.article_detail,
        name="detail",
    ),
    path("politicians/", views.politician_list, name="politicians"),
    path("politicians/<slug:slug>/", views.politician_detail, name="politician"),
    path("parties/", views.party_list, name="parties"),
    path("parties/<slug:slug>/", views.party_detail, name="party"),
    path(
        "topics/<slug:slug>/",
        views.subject_page(Topic, "topic", ArticleCount.Dimension.TOPIC),
        name="topic",
    ),
    path(
        "sources/<slug:slug>/",
        views.subject_page(Source, "source", ArticleCount.Dimension.SOURCE),
        name="source",
    ),
    path(
        "authors/<slug:slug>/",
        views.subject_page(Author, "author", ArticleCount.Dimension.AUTHOR),
        name="author",
    ),
]
