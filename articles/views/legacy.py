"""Readers' pages (minimal; the full browser lives in later modules)."""

from django.shortcuts import get_object_or_404, redirect, render

from ..models import Article, Party, Politician, Source, Topic


def home(request):
    articles = Article.objects.published().select_related("source")[:20]
    return render(request, "articles/home.html", {"articles": articles})


def article_list(request):
    articles = Article.objects.published().select_related("source")[:50]
    return render(request, "articles/home.html", {"articles": articles})


def article_detail(request, year, month, day, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return render(request, "articles/home.html", {"articles": [article]})


def politician_list(request):
    return render(request, "articles/home.html", {"articles": []})


def politician_detail(request, slug):
    politician = get_object_or_404(Politician, slug=slug)
    articles = Article.objects.published().mentioning(politician)[:50]
    return render(request, "articles/home.html", {"articles": articles})


def party_list(request):
    return render(request, "articles/home.html", {"articles": []})


def party_detail(request, slug):
    party = get_object_or_404(Party, slug=slug)
    articles = Article.objects.published().in_party(party)[:50]
    return render(request, "articles/home.html", {"articles": articles})


def topic_detail(request, slug):
    get_object_or_404(Topic, slug=slug)
    return redirect(f"/articles/?topic={slug}")


def source_detail(request, slug):
    get_object_or_404(Source, slug=slug)
    return redirect(f"/articles/?source={slug}")
