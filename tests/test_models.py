import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from articles import derived
from articles.derived.parties import party_of
from articles.models import Article, Mention, Party, PartyMembership, Politician, Role, Topic
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    RoleFactory,
    SourceFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def carswell():
    """A party switcher: Conservative until 27 Aug 2014, UKIP from 28 Aug 2014."""
    person = PoliticianFactory(
        name="Douglas Carswell", given_name="Douglas", family_name="Carswell"
    )
    con = PartyFactory(name="Conservative Party")
    ukip = PartyFactory(name="UK Independence Party")
    MembershipFactory(
        politician=person, party=con, start_date=d(1990, 1, 1), end_date=d(2014, 8, 27)
    )
    MembershipFactory(
        politician=person, party=ukip, start_date=d(2014, 8, 28), end_date=d(2017, 3, 25)
    )
    return person, con, ukip


def test_party_on_date_follows_switches(carswell):
    person, con, ukip = carswell
    assert party_of(person, d(2013, 5, 1)) == con
    assert party_of(person, d(2014, 8, 27)) == con
    assert party_of(person, d(2014, 8, 28)) == ukip
    assert party_of(person, d(2017, 3, 26)) is None  # left UKIP, sat as independent
    assert party_of(person, d(1980, 1, 1)) is None


def test_open_ended_membership_is_current():
    membership = MembershipFactory(start_date=d(2015, 1, 1), end_date=None)
    assert party_of(membership.politician, d(2030, 1, 1)) == membership.party
    assert membership.is_current(on=d(2020, 1, 1))
    assert not membership.is_current(on=d(2014, 12, 31))


def test_slugs_are_unique_and_derived_from_names():
    first = PoliticianFactory(name="Jo Smith")
    second = PoliticianFactory(name="Jo Smith")
    assert first.slug == "jo-smith"
    assert second.slug == "jo-smith-2"
    assert PartyFactory(name="Labour Party").slug == "labour-party"
    assert first.sort_name.startswith(first.family_name)


def test_membership_end_before_start_is_invalid_in_model_and_database():
    membership = MembershipFactory.build(
        politician=PoliticianFactory(),
        party=PartyFactory(),
        start_date=d(2015, 1, 1),
        end_date=d(2014, 1, 1),
    )
    with pytest.raises(ValidationError):
        membership.full_clean()
    with pytest.raises(IntegrityError), derived.change(politicians=[membership.politician_id]):
        PartyMembership.objects.bulk_create([membership])


def test_overlapping_membership_of_same_party_is_a_validation_error():
    first = MembershipFactory(start_date=d(2010, 1, 1), end_date=d(2015, 1, 1))
    clash = PartyMembership(
        politician=first.politician, party=first.party, start_date=d(2014, 6, 1), end_date=None
    )
    with pytest.raises(ValidationError, match="overlaps"):
        clash.full_clean()
    later = PartyMembership(
        politician=first.politician, party=first.party, start_date=d(2015, 1, 2), end_date=None
    )
    later.full_clean()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraint is PostgreSQL's"
)
def test_overlapping_membership_is_refused_by_postgresql():
    first = MembershipFactory(start_date=d(2010, 1, 1), end_date=None)
    with pytest.raises(IntegrityError), derived.change(politicians=[first.politician_id]):
        PartyMembership.objects.bulk_create(
            [
                PartyMembership(
                    politician=first.politician, party=first.party, start_date=d(2012, 1, 1)
                )
            ]
        )


def test_overlapping_role_with_same_title_is_invalid():
    role = RoleFactory(title="Prime Minister", start_date=d(2010, 5, 11), end_date=d(2016, 7, 13))
    clash = Role(politician=role.politician, title="Prime Minister", start_date=d(2015, 1, 1))
    with pytest.raises(ValidationError):
        clash.full_clean()
    other = Role(
        politician=role.politician, title="Leader of the Opposition", start_date=d(2015, 1, 1)
    )
    other.full_clean()


def test_mention_stores_party_on_the_articles_date(carswell):
    person, con, ukip = carswell
    before = MentionFactory(politician=person, article=ArticleFactory(published_at=on(2013, 3, 1)))
    after = MentionFactory(politician=person, article=ArticleFactory(published_at=on(2015, 5, 8)))
    independent = MentionFactory(
        politician=person, article=ArticleFactory(published_at=on(2018, 1, 1))
    )
    assert (before.party, after.party, independent.party) == (con, ukip, None)


def test_mention_parties_follow_membership_changes(carswell):
    person, con, ukip = carswell
    mention = MentionFactory(politician=person, article=ArticleFactory(published_at=on(2014, 9, 1)))
    assert mention.party == ukip
    membership = PartyMembership.objects.get(politician=person, party=ukip)
    membership.start_date = d(2014, 10, 1)
    membership.save()
    mention.refresh_from_db()
    assert mention.party is None
    PartyMembership.objects.get(politician=person, party=con).delete()
    MembershipFactory(
        politician=person, party=con, start_date=d(1990, 1, 1), end_date=d(2014, 9, 30)
    )
    mention.refresh_from_db()
    assert mention.party == con


def test_mention_parties_follow_article_date_changes(carswell):
    person, con, ukip = carswell
    mention = MentionFactory(politician=person, article=ArticleFactory(published_at=on(2013, 1, 1)))
    article = mention.article
    article.published_at = on(2015, 1, 1)
    article.save()
    mention.refresh_from_db()
    assert mention.party == ukip
    assert mention.published_on == d(2015, 1, 1)


def test_local_date_is_used_for_the_party(carswell):
    person, con, ukip = carswell
    # 23:30 UTC on 27 Aug 2014 is 00:30 on 28 Aug in London (BST).
    article = ArticleFactory(published_at=dt.datetime(2014, 8, 27, 23, 30, tzinfo=dt.UTC))
    mention = MentionFactory(politician=person, article=article)
    assert article.published_on == d(2014, 8, 28)
    assert mention.party == ukip


def test_mention_is_unique_per_article_and_politician():
    mention = MentionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(article=mention.article, politician=mention.politician)


def test_original_url_is_unique_when_present():
    ArticleFactory(url="https://example.org/a")
    ArticleFactory(url="")
    ArticleFactory(url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(url="https://example.org/a")


@pytest.mark.parametrize("model", [Politician, Party, "source", Topic])
def test_deleting_what_articles_use_is_refused(model):
    mention = MentionFactory()
    MembershipFactory(politician=mention.politician)
    topic = TopicFactory()
    mention.article.topics.add(topic)
    target = {
        Politician: mention.politician,
        Party: mention.politician.memberships.get().party,
        "source": mention.article.source,
        Topic: topic,
    }[model]
    with pytest.raises(ProtectedError):
        target.delete()


def test_deleting_an_article_removes_only_its_mentions():
    mention = MentionFactory()
    other = MentionFactory(politician=mention.politician)
    mention.article.delete()
    assert list(Mention.objects.all()) == [other]
    assert Politician.objects.filter(pk=mention.politician.pk).exists()


def test_urls_are_readable_and_dated():
    article = ArticleFactory(headline="Corbyn loses vote", published_at=on(2016, 6, 28))
    assert article.get_absolute_url() == "/articles/2016/06/28/corbyn-loses-vote/"
    assert PoliticianFactory(name="Diane Abbott").get_absolute_url() == "/politicians/diane-abbott/"


def test_paragraphs_split_on_blank_lines_or_lines():
    assert ArticleFactory(body="One\nstill one.\n\nTwo.").paragraphs() == ["One still one.", "Two."]
    assert ArticleFactory(body="One.\nTwo.\n").paragraphs() == ["One.", "Two."]


def test_party_text_colour_has_contrast():
    assert PartyFactory(name="Labour", colour="#E4003B").text_colour == "#ffffff"
    assert PartyFactory(name="SNP", colour="#FDF38E").text_colour == "#000000"


def test_status_and_date_decide_visibility():
    now = on(2020, 1, 1)
    public = ArticleFactory(published_at=on(2019, 1, 1))
    ArticleFactory(published_at=on(2019, 1, 1), status=Article.Status.DRAFT)
    ArticleFactory(published_at=on(2021, 1, 1))
    assert list(Article.objects.published(now=now)) == [public]


def test_source_is_required():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="x", body="y", source=None)
    assert SourceFactory().articles.count() == 0


def test_overlapping_membership_of_another_party_is_a_validation_error():
    first = MembershipFactory(
        party=PartyFactory(name="Conservative Party"), start_date=d(2005, 5, 5), end_date=None
    )
    labour = PartyFactory(name="Labour Party")
    clash = PartyMembership(politician=first.politician, party=labour, start_date=d(2019, 1, 1))
    with pytest.raises(ValidationError, match="overlaps the Conservative Party membership"):
        clash.full_clean()
    first.end_date = d(2018, 12, 31)
    first.save()
    clash.full_clean()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraint is PostgreSQL's"
)
def test_overlapping_membership_of_another_party_is_refused_by_postgresql():
    first = MembershipFactory(start_date=d(2010, 1, 1), end_date=None)
    other = PartyFactory()
    with pytest.raises(IntegrityError), derived.change(politicians=[first.politician_id]):
        PartyMembership.objects.bulk_create(
            [PartyMembership(politician=first.politician, party=other, start_date=d(2012, 1, 1))]
        )


def test_the_same_title_in_two_organisations_at_once_is_two_roles():
    role = RoleFactory(title="Member", organisation="Treasury Committee", start_date=d(2015, 1, 1))
    other = Role(
        politician=role.politician,
        title="Member",
        organisation="Home Affairs Committee",
        start_date=d(2016, 1, 1),
    )
    other.full_clean()
    other.save()  # PostgreSQL's exclusion constraint agrees
    assert role.politician.roles.count() == 2
    clash = Role(
        politician=role.politician,
        title="Member",
        organisation="Treasury Committee",
        start_date=d(2017, 1, 1),
    )
    with pytest.raises(ValidationError, match="overlapping"):
        clash.full_clean()
