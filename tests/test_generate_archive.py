import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from articles.derived.parties import party_of
from articles.models import (
    Article,
    ArticleTopic,
    Mention,
    Party,
    PartyMembership,
    Politician,
    Role,
    Source,
    Topic,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=False)

SMALL = ["--politicians=60", "--parties=6", "--topics=12", "--sources=5"]


def generate(n=300, *extra):
    stdout = io.StringIO()
    call_command(
        "generate_archive", f"--articles={n}", *SMALL, *extra, stdout=stdout, stderr=io.StringIO()
    )
    return stdout.getvalue()


def test_counts_and_shape():
    output = generate(300)

    assert "300 articles" in output
    assert Article.objects.count() == 300
    assert Politician.objects.count() == 60
    assert Party.objects.count() == 6
    assert Topic.objects.count() == 12
    assert Source.objects.count() == 5
    per_article = Counter(Article.objects.annotate(n=Count("mentions")).values_list("n", flat=True))
    assert set(per_article) <= {2, 3, 4}
    assert 2.7 <= Mention.objects.count() / 300 <= 3.3
    assert set(Mention.objects.values_list("state", flat=True)) == {"confirmed"}
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    assert Article.objects.filter(published_at__year__gte=2001).count() == 300
    years = set(Article.objects.values_list("published_at__year", flat=True))
    assert len(years) >= 20
    assert ArticleTopic.objects.count() >= 300
    assert Role.objects.exists()
    assert len(set(Article.objects.values_list("slug", flat=True))) == 300


def test_mentions_are_skewed_towards_a_few_politicians():
    generate(300)

    counts = sorted(
        Politician.objects.annotate(n=Count("mentions")).values_list("n", flat=True), reverse=True
    )
    top_share = (
        Article.objects.filter(
            mentions__politician__in=Politician.objects.annotate(n=Count("mentions"))
            .order_by("-n")[:3]
            .values("pk")
        )
        .distinct()
        .count()
        / 300
    )
    assert counts[0] >= 5 * counts[len(counts) // 2]
    assert top_share >= 0.3


def test_some_politicians_switch_party():
    generate(50)

    switchers = (
        PartyMembership.objects.values("politician")
        .annotate(parties=Count("party", distinct=True))
        .filter(parties__gt=1)
    )
    assert switchers.exists()


def test_denormalised_party_and_date_match_the_model_layer():
    generate(300)

    sample = Mention.objects.select_related("article", "politician").order_by("?")[:150]
    for mention in sample:
        assert mention.published_on == mention.article.published_on
        assert mention.party == party_of(mention.politician, mention.published_on)
    no_party = Mention.objects.filter(party=None).select_related("article", "politician")
    for mention in no_party[:20]:
        assert party_of(mention.politician, mention.article.published_on) is None


def test_mentions_name_the_politicians_in_the_text():
    generate(40)

    for article in Article.objects.prefetch_related("mentions__politician")[:40]:
        for mention in article.mentions.all():
            assert mention.politician.name in article.body
        subject = article.mentions.get(role="subject").politician
        assert article.headline.startswith(subject.family_name)


def test_same_seed_same_archive():
    def content():
        return list(
            Article.objects.order_by("published_at", "headline").values_list(
                "headline", "published_at", "body"
            )
        ), sorted(Mention.objects.values_list("politician__name", "published_on", "role"))

    generate(80, "--seed=7")
    first = content()
    Mention.objects.all().delete()
    ArticleTopic.objects.all().delete()
    Article.objects.all().delete()
    PartyMembership.objects.all().delete()
    Role.objects.all().delete()
    Politician.objects.all().delete()
    Party.objects.all().delete()
    Topic.objects.all().delete()
    Source.objects.all().delete()

    generate(80, "--seed=7")

    assert content() == first


def test_refuses_a_database_with_articles_unless_appending():
    ArticleFactory()

    with pytest.raises(CommandError, match="already has articles"):
        generate(10)
    assert Article.objects.count() == 1

    generate(10, "--append")
    assert Article.objects.count() == 11


def test_rejects_silly_sizes():
    with pytest.raises(CommandError, match="--articles must be at least 1"):
        generate(0)


def test_search_vectors_equal_what_the_database_trigger_computes():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the stored search vector exists on PostgreSQL only")
    generate(120)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article a WHERE a.search_vector IS DISTINCT FROM ("
            "setweight(to_tsvector('english', coalesce(a.headline, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(a.standfirst, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(a.body, '')), 'C'))"
        )
        assert cursor.fetchone()[0] == 0
    word = Article.objects.first().headline.split()[0]
    assert Article.objects.search(word).exists()
