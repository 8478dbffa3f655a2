"""A party named before an ambiguous name favours that party's members."""

import datetime as dt

import pytest

from articles.suggestions import NameIndex, find_names
from tests.factories import MembershipFactory, PartyFactory, PoliticianFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2010, 6, 1)


@pytest.fixture
def smiths():
    labour = PartyFactory(name="Labour Party", short_name="Lab")
    tories = PartyFactory(name="Conservative Party", short_name="Con")
    people = {}
    for party in (labour, tories):
        smith = PoliticianFactory(name="John Smith", given_name="John", family_name="Smith")
        MembershipFactory(politician=smith, party=party, start_date=dt.date(2001, 6, 7))
        people[party.short_name] = smith
    return people


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Labour's John Smith said the plan would fail.", "Lab"),
        ("The Labour MP John Smith voted against.", "Lab"),
        ("Tory John Smith disagreed.", "Con"),
        ("Conservative John Smith spoke next. Later Smith left.", "Con"),
    ],
)
def test_the_party_named_before_the_name_decides(smiths, text, party):
    matches = find_names(text, NameIndex.build(), on=ON)
    assert matches.found == {smiths[party].pk}
    assert not matches.ambiguous


def test_without_a_party_or_with_one_neither_belongs_to_the_name_stays_ambiguous(smiths):
    index = NameIndex.build()
    for text in ["John Smith said the plan would fail.", "SNP's John Smith spoke."]:
        matches = find_names(text, index, on=ON)
        assert not matches.found
        assert matches.ambiguous == {"John Smith": {p.pk for p in smiths.values()}}


def test_the_party_counts_only_on_the_texts_date(smiths):
    membership = smiths["Lab"].memberships.get()
    membership.end_date = dt.date(2005, 5, 4)
    membership.save()
    MembershipFactory(politician=smiths["Lab"], party=PartyFactory(name="Green Party"),
                      start_date=dt.date(2005, 5, 5))  # fmt: skip
    matches = find_names("Labour's John Smith spoke.", NameIndex.build(), on=ON)
    assert "John Smith" in matches.ambiguous  # that Smith was no longer Labour in 2010
