import datetime as dt

import pytest

from articles.models import Article, Mention, Politician
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    con, ukip, lab = (PartyFactory(name=n) for n in ("Conservative", "UKIP", "Labour"))
    switcher = PoliticianFactory(name="Mark Reckless")
    MembershipFactory(
        politician=switcher, party=con, start_date=None, end_date=dt.date(2014, 9, 26)
    )
    MembershipFactory(politician=switcher, party=ukip, start_date=dt.date(2014, 9, 27))
    corbyn = PoliticianFactory(name="Jeremy Corbyn")
    MembershipFactory(politician=corbyn, party=lab, start_date=None)
    brexit, nhs = TopicFactory(name="Brexit"), TopicFactory(name="NHS")
    bbc = SourceFactory(name="BBC")
    a2013 = ArticleFactory(headline="Reckless speaks", published_at=on(2013, 5, 1), topics=[nhs])
    a2015 = ArticleFactory(
        headline="Reckless and Corbyn", published_at=on(2015, 5, 8), topics=[brexit]
    )
    a2016 = ArticleFactory(headline="Corbyn loses vote", published_at=on(2016, 6, 28), source=bbc)
    MentionFactory(article=a2013, politician=switcher, role="subject")
    MentionFactory(article=a2015, politician=switcher, role="quoted")
    MentionFactory(article=a2015, politician=corbyn)
    MentionFactory(article=a2016, politician=corbyn, role="subject")
    MentionFactory(article=a2016, politician=switcher, state=Mention.State.SUGGESTED)
    return locals()


def ids(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_mentioning_uses_confirmed_mentions_only(archive):
    a = archive
    assert ids(Article.objects.mentioning(a["switcher"])) == ids(
        Article.objects.filter(pk__in=[a["a2013"].pk, a["a2015"].pk])
    )


def test_mentioning_several_is_or_and_role_narrows(archive):
    a = archive
    both = Article.objects.mentioning(a["switcher"], a["corbyn"])
    assert both.count() == 3
    assert list(Article.objects.mentioning(a["corbyn"], role="subject")) == [a["a2016"]]


def test_in_party_means_party_on_the_articles_date(archive):
    a = archive
    assert list(Article.objects.in_party(a["con"])) == [a["a2013"]]
    assert list(Article.objects.in_party(a["ukip"])) == [a["a2015"]]
    assert ids(Article.objects.in_party(a["lab"])) == sorted([a["a2015"].pk, a["a2016"].pk])


def test_chaining_is_and(archive):
    a = archive
    qs = Article.objects.published().mentioning(a["switcher"]).in_party(a["lab"])
    assert list(qs) == [a["a2015"]]


def test_topics_sources_and_dates(archive):
    a = archive
    assert list(Article.objects.about(a["brexit"], a["nhs"]).order_by("published_at")) == [
        a["a2013"],
        a["a2015"],
    ]
    assert list(Article.objects.from_sources(a["bbc"])) == [a["a2016"]]
    assert list(Article.objects.in_year(2016)) == [a["a2016"]]
    assert list(Article.objects.in_year(2015, 5)) == [a["a2015"]]
    assert Article.objects.in_year(2015, 12).count() == 0
    assert list(Article.objects.between(dt.date(2015, 5, 8), dt.date(2015, 5, 8))) == [a["a2015"]]
    assert Article.objects.between(end=dt.date(2015, 5, 7)).count() == 1


def test_search_finds_words_and_excludes_negated(archive):
    a = archive
    assert list(Article.objects.search("loses")) == [a["a2016"]]
    assert ids(Article.objects.search("Corbyn -vote")) == [a["a2015"].pk]
    assert Article.objects.search("").count() == 3


def test_search_stems_words(archive):
    assert list(Article.objects.search("losing")) == [archive["a2016"]]
    assert ids(Article.objects.search('"loses vote" or speaks')) == sorted(
        [archive["a2013"].pk, archive["a2016"].pk]
    )


def test_politician_search_covers_other_names():
    boris = PoliticianFactory(name="Boris Johnson")
    OtherNameFactory(politician=boris, name="BoJo")
    PoliticianFactory(name="Someone Else")
    assert list(Politician.objects.search("bojo")) == [boris]
    assert list(Politician.objects.search("johnson")) == [boris]


def test_public_mentions_exclude_drafts_and_suggestions(archive):
    a = archive
    draft = ArticleFactory(status=Article.Status.DRAFT)
    MentionFactory(article=draft, politician=a["corbyn"])
    assert Mention.objects.public().count() == 4
