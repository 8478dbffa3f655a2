import datetime as dt
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


# The rules of issue #14 ---------------------------------------------------------------------


def member(given, family, start, end=None, **names):
    politician = PoliticianFactory(
        name=f"{given} {family}", given_name=given, family_name=family, **names
    )
    MembershipFactory(politician=politician, start_date=start, end_date=end)
    return politician


def test_family_name_inside_a_longer_capitalised_phrase_is_not_a_name():
    member("Anne", "Milton", dt.date(2005, 5, 5))
    member("Robert", "Key", dt.date(1983, 6, 9))
    text = "Milton Keynes will grow. Pupils sit Key Stages 2 and 3. Key to it is money."
    assert find_names(text, NameIndex.build(), on=dt.date(2005, 7, 1)).found == set()


def test_first_names_are_not_family_names():
    member("Wayne", "David", dt.date(2001, 6, 7))
    member("Stuart", "Andrew", dt.date(2001, 6, 7))
    member("David", "Blunkett", dt.date(1987, 6, 11))
    member("Andrew", "Smith", dt.date(1987, 6, 11))
    text = "'David is a friend,' he said. Andrew told the BBC. Andrew Marr reported."
    assert find_names(text, NameIndex.build(), on=dt.date(2004, 12, 15)).found == set()


def test_after_sir_comes_a_first_name():
    member("Michael", "Howard", dt.date(1983, 6, 9))
    member("Howard", "Flight", dt.date(1997, 5, 1))
    index = NameIndex.build()
    text = "Sir Howard Newby spoke. Sir Howard said fees would help."
    assert find_names(text, index, on=dt.date(2004, 2, 5)).found == set()


def test_a_lord_is_not_the_politician_of_his_family_name():
    zac = member("Zac", "Goldsmith", dt.date(2003, 1, 1))
    index = NameIndex.build()
    text = "Lord Goldsmith gave his advice. Goldsmith denied changing his mind."
    assert find_names(text, index, on=dt.date(2005, 3, 7)).found == set()
    assert find_names("Zac Goldsmith spoke.", index, on=dt.date(2005, 3, 7)).found == {zac.pk}


def test_someone_elses_full_name_takes_the_family_name_for_the_whole_text():
    member("Ruth", "Kelly", dt.date(1997, 5, 1))
    text = "Dr David Kelly died last July. Dr Kelly had been named as the source."
    assert find_names(text, NameIndex.build(), on=dt.date(2004, 1, 28)).found == set()


def test_everyday_words_and_places_alone_need_more_than_the_family_name():
    welsh = member("Andrew", "Welsh", dt.date(1987, 6, 11))
    preston = member("Peter", "Preston", dt.date(1997, 5, 1))
    index = NameIndex.build()
    on = dt.date(2000, 1, 1)
    assert (
        find_names("Welsh councils will revalue. In Preston, it rained.", index, on=on).found
        == set()
    )
    assert find_names("Mr Welsh said so. Mr Preston agreed.", index, on=on).found == {
        welsh.pk,
        preston.pk,
    }


def test_a_unique_family_name_alone_is_enough():
    hoon = member("Geoff", "Hoon", dt.date(1992, 4, 9))
    result = find_names("But Hoon said the troops would be home.", NameIndex.build(), on=None)
    assert result.found == {hoon.pk}


def test_honorific_and_family_name_link_the_one_politician_of_that_name():
    howard = member("Michael", "Howard", dt.date(1983, 6, 9))
    member("Howard", "Flight", dt.date(1997, 5, 1))
    result = find_names("Mr Howard said the comments were unacceptable.", NameIndex.build())
    assert result.found == {howard.pk}


def test_only_politicians_in_politics_around_the_date_are_candidates():
    zac = member("Zac", "Goldsmith", dt.date(2010, 5, 6))
    cook = member("Robin", "Cook", dt.date(1974, 2, 28), dt.date(2005, 8, 6))
    index = NameIndex.build()
    text = "Zac Goldsmith and Robin Cook spoke."
    # Two years before the first membership, five after the last (SUGGESTION_YEARS_*).
    assert find_names(text, index, on=dt.date(2005, 2, 10)).found == {cook.pk}
    assert find_names(text, index, on=dt.date(2008, 6, 1)).found == {zac.pk, cook.pk}
    assert find_names(text, index, on=dt.date(2011, 1, 1)).found == {zac.pk}


def test_the_date_window_is_a_setting(settings):
    zac = member("Zac", "Goldsmith", dt.date(2010, 5, 6))
    settings.SUGGESTION_YEARS_BEFORE = 6
    result = find_names("Zac Goldsmith spoke.", NameIndex.build(), on=dt.date(2005, 2, 10))
    assert result.found == {zac.pk}


def test_a_politician_is_not_a_candidate_before_being_born():
    pitt = PoliticianFactory(
        name="William Pitt",
        given_name="William",
        family_name="Pitt",
        birth_date=dt.date(1959, 1, 1),
    )
    index = NameIndex.build()
    assert find_names("William Pitt spoke.", index, on=dt.date(1790, 1, 1)).found == set()
    assert find_names("William Pitt spoke.", index, on=dt.date(1990, 1, 1)).found == {pitt.pk}


def test_ambiguity_lists_only_the_candidates_who_fit_the_date():
    gordon = member("Gordon", "Brown", dt.date(1983, 6, 9), dt.date(2015, 3, 30))
    nick = member("Nick", "Brown", dt.date(1983, 6, 9))
    member("Lyn", "Brown", dt.date(2005, 5, 5), dt.date(2010, 4, 12))
    result = find_names("Mr Brown said no.", NameIndex.build(), on=dt.date(2002, 1, 1))
    assert result.ambiguous == {"Brown": {gordon.pk, nick.pk}}
    assert find_names("Mr Brown said no.", NameIndex.build(), on=dt.date(2021, 1, 1)).found == {
        nick.pk
    }


def test_each_suggestion_carries_its_sentence():
    hoon = member("Geoff", "Hoon", dt.date(1992, 4, 9))
    gordon, nick = (
        member("Gordon", "Brown", dt.date(1983, 6, 9)),
        member("Nick", "Brown", dt.date(1983, 6, 9)),
    )
    text = (
        'Troops will move.\n\nMr Hoon told MPs: "It is weeks." Later, Mr Brown agreed. Hoon left.'
    )
    result = find_names(text, NameIndex.build(), on=dt.date(2004, 11, 2))
    assert result.sentences() == {hoon.pk: 'Mr Hoon told MPs: "It is weeks."'}
    assert result.ambiguous == {"Brown": {gordon.pk, nick.pk}}
    assert result.sentence("Brown") == "Later, Mr Brown agreed."


def test_suggest_mentions_uses_the_article_date():
    zac = member("Zac", "Goldsmith", dt.date(2010, 5, 6))
    early = ArticleFactory(body="Zac Goldsmith spoke.", published_at=on(2005, 2, 10))
    late = ArticleFactory(body="Zac Goldsmith spoke.", published_at=on(2010, 5, 7))
    assert suggest_mentions(early).found == set()
    assert suggest_mentions(late).found == {zac.pk}


def test_names_match_with_or_without_their_accents():
    opik = member("Lembit", "Öpik", dt.date(1997, 5, 1))
    index = NameIndex.build()
    assert find_names("Lembit Opik spoke. Mr Opik left.", index).found == {opik.pk}
    result = find_names("Mr Öpik, the MP for Montgomeryshire, said so.", index)
    assert result.found == {opik.pk}
    assert result.sentence(opik.pk) == "Mr Öpik, the MP for Montgomeryshire, said so."
