"""The role suggested with a name: subject of the headline, quoted, or mentioned."""

import pytest

from articles.models import Article, Mention
from articles.suggestions import NameIndex, find_names, suggest_mentions
from tests.factories import ArticleFactory, PoliticianFactory

pytestmark = pytest.mark.django_db


def person(given, family):
    return PoliticianFactory(name=f"{given} {family}", given_name=given, family_name=family)


@pytest.fixture
def people():
    names = [("Jeremy", "Corbyn"), ("Theresa", "May"), ("Hilary", "Benn"), ("Diane", "Abbott")]
    return {family: person(given, family) for given, family in names}


def roles(text, people):
    matches = find_names(text, NameIndex.build())
    return {family: matches.role(p.pk) for family, p in people.items() if p.pk in matches.found}


def test_roles_in_a_report(people):
    text = (
        "Corbyn attacks May over police cuts\n"
        "The Labour leader said the cuts had gone too far.\n"
        "Jeremy Corbyn told MPs that Theresa May had ignored the warnings.\n"
        '"We were clear," said Hilary Benn, the shadow foreign secretary.\n'
        "Diane Abbott was also in the chamber. According to Labour, the figures were not in doubt."
    )
    assert roles(text, people) == {
        "Corbyn": "subject",
        "May": "subject",
        "Benn": "quoted",
        "Abbott": "mentioned",
    }


def test_quoted_after_the_name_or_before_it_and_only_within_the_sentence(people):
    text = (
        "Police numbers to rise\n"
        "Hilary Benn, speaking in Leeds on Friday, says the plan will work. "
        "According to Diane Abbott the money is not there. "
        "Jeremy Corbyn was in Brighton. The minister said nothing more."
    )
    assert roles(text, people) == {"Benn": "quoted", "Abbott": "quoted", "Corbyn": "mentioned"}


def test_suggested_mentions_carry_their_role(people):
    article = ArticleFactory(
        headline="Benn resigns from the shadow cabinet",
        standfirst="",
        body="Diane Abbott told the BBC she was sorry. Jeremy Corbyn was abroad.",
    )
    Mention.objects.filter(article=article).delete()
    suggest_mentions(Article.objects.get(pk=article.pk))
    got = dict(article.mentions.values_list("politician__family_name", "role"))
    assert got == {"Benn": "subject", "Abbott": "quoted", "Corbyn": "mentioned"}
