from pathlib import Path

import pytest

from articles.models import AmbiguousName, Mention
from articles.suggestions import NameIndex, find_names, suggest_mentions
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    on,
)

SEED = Path(__file__).resolve().parent.parent / "articles/demo/seed/000_1d74e5b3318ec141.txt"

pytestmark = pytest.mark.django_db


def person(given, family):
    return PoliticianFactory(name=f"{given} {family}", given_name=given, family_name=family)


@pytest.fixture
def seed_people():
    return {
        name: person(*name.split(" "))
        for name in [
            "Jeremy Corbyn",
            "Hilary Benn",
            "Diane Abbott",
            "Tony Blair",
            "Gordon Brown",
            "David Cameron",
            "Theresa May",
        ]
    }


def test_seed_article_names_its_six_politicians(seed_people):
    text = SEED.read_text(encoding="utf-8")
    found = find_names(text, NameIndex.build())
    names = {p.name for p in seed_people.values() if p.pk in found.found}
    assert names == {
        "Jeremy Corbyn",
        "Hilary Benn",
        "Diane Abbott",
        "Tony Blair",
        "Gordon Brown",
        "David Cameron",
    }
    assert found.ambiguous == {}


@pytest.mark.parametrize(
    "text",
    [
        "Corbyn's allies",
        "an anti-Corbyn rally",
        "The Corbyn-led party",
        "Yesterday Corbyn said",
        "Jeremy Corbyn spoke.",
    ],
)
def test_family_name_forms_are_found(text):
    corbyn = person("Jeremy", "Corbyn")
    assert find_names(text, NameIndex.build()).found == {corbyn.pk}


def test_lower_case_words_are_not_names():
    person("Gordon", "Brown")
    assert find_names("a brown envelope", NameIndex.build()).found == set()


def test_everyday_family_name_needs_the_full_name():
    may = person("Theresa", "May")
    index = NameIndex.build()
    assert find_names("The vote was held in May 2017.", index).found == set()
    assert find_names("Theresa May won. In May, May said so.", index).found == {may.pk}


def test_shared_family_name_is_ambiguous_not_linked():
    gordon, nick = person("Gordon", "Brown"), person("Nick", "Brown")
    result = find_names("Mr Brown said the whips were ready.", NameIndex.build())
    assert result.found == set()
    assert result.ambiguous == {"Brown": {gordon.pk, nick.pk}}


def test_everyday_family_name_alone_is_not_even_ambiguous():
    # Issue #14: "Brown" alone is also a colour, so without "Mr" or a full name it names no one
    # (it used to be flagged as ambiguous between the two Browns, for nobody in the text).
    person("Gordon", "Brown"), person("Nick", "Brown")
    result = find_names("Brown said the whips were ready.", NameIndex.build())
    assert (result.found, result.ambiguous) == (set(), {})


def test_full_name_elsewhere_settles_the_family_name():
    gordon, _nick = person("Gordon", "Brown"), person("Nick", "Brown")
    result = find_names("Gordon Brown spoke. Later Brown left.", NameIndex.build())
    assert result.found == {gordon.pk}
    assert result.ambiguous == {}


def test_other_names_are_found():
    boris = person("Boris", "Johnson")
    OtherNameFactory(politician=boris, name="Alexander Boris de Pfeffel Johnson")
    index = NameIndex.build()
    assert find_names("Alexander Boris de Pfeffel Johnson", index).found == {boris.pk}


def test_suggest_mentions_adds_suggestions_with_party_on_date():
    corbyn = person("Jeremy", "Corbyn")
    labour = PartyFactory(name="Labour Party")
    MembershipFactory(politician=corbyn, party=labour, start_date=None)
    article = ArticleFactory(body="Corbyn refused to resign.", published_at=on(2016, 6, 28))
    result = suggest_mentions(article)
    assert result.found == {corbyn.pk}
    mention = article.mentions.get()
    assert mention.state == Mention.State.SUGGESTED
    assert mention.party == labour
    assert mention.published_on.isoformat() == "2016-06-28"


def test_suggest_mentions_leaves_existing_mentions_alone():
    corbyn = person("Jeremy", "Corbyn")
    article = ArticleFactory(body="Corbyn refused to resign.")
    MentionFactory(article=article, politician=corbyn, state="confirmed", role="subject")
    assert suggest_mentions(article).found == set()
    assert article.mentions.get().role == "subject"


def test_suggest_mentions_can_confirm():
    corbyn = person("Jeremy", "Corbyn")
    article = ArticleFactory(body="Corbyn refused to resign.")
    suggest_mentions(article, confirm_unambiguous=True)
    assert article.mentions.get(politician=corbyn).state == Mention.State.CONFIRMED


def test_ambiguous_names_are_recorded_then_dropped_when_resolved():
    gordon, nick = person("Gordon", "Brown"), person("Nick", "Brown")
    article = ArticleFactory(body="Mr Brown said the whips were ready.")
    suggest_mentions(article)
    ambiguous = AmbiguousName.objects.get(article=article)
    assert ambiguous.name == "Brown"
    assert set(ambiguous.candidates.all()) == {gordon, nick}
    assert not article.mentions.exists()

    MentionFactory(article=article, politician=nick)
    suggest_mentions(article)
    assert not AmbiguousName.objects.filter(article=article).exists()
