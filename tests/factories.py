import datetime as dt

import factory
from django.utils import timezone

from articles.models import (
    Area,
    AreaIdentifier,
    Article,
    Author,
    Mention,
    OtherName,
    Party,
    PartyMembership,
    Politician,
    PoliticianIdentifier,
    Role,
    Source,
    Topic,
)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Party {n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:3])
    colour = "#E4003B"


class PoliticianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Politician

    given_name = factory.Faker("first_name")
    family_name = factory.Sequence(lambda n: f"Surname{n}")
    name = factory.LazyAttribute(lambda o: f"{o.given_name} {o.family_name}")


class OtherNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OtherName

    politician = factory.SubFactory(PoliticianFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMembership

    politician = factory.SubFactory(PoliticianFactory)
    party = factory.SubFactory(PartyFactory)
    start_date = dt.date(2000, 1, 1)
    end_date = None


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Constituency {n}")
    classification = "constituency"


class AreaIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaIdentifier

    area = factory.SubFactory(AreaFactory)
    scheme = "gss"
    identifier = factory.Sequence(lambda n: f"E1400{n:04d}")


class PoliticianIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliticianIdentifier

    politician = factory.SubFactory(PoliticianFactory)
    scheme = "parlparse"
    identifier = factory.Sequence(lambda n: f"uk.org.publicwhip/person/{10000 + n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    politician = factory.SubFactory(PoliticianFactory)
    title = factory.Sequence(lambda n: f"Minister for Things {n}")
    start_date = dt.date(2010, 5, 11)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")
    homepage = "https://example.org/"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Author {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Headline number {n}")
    body = "First paragraph.\n\nSecond paragraph."
    published_at = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime(2016, 6, 28, 12, 0))
    )
    source = factory.SubFactory(SourceFactory)
    status = Article.Status.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            self.authors.add(*extracted)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    politician = factory.SubFactory(PoliticianFactory)
    role = Mention.Role.MENTIONED
    state = Mention.State.CONFIRMED


def on(year, month, day, hour=12):
    """An aware datetime in the archive's time zone."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))
