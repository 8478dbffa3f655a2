"""The demo archive: `load_demo` on an empty database, the seed article and the curated data."""

import datetime as dt
import hashlib
import io
import re

import pytest
from django.core.management import call_command

from articles.derived.parties import party_of
from articles.management.commands.load_demo import ARTICLES_FILE, SEED_FILE
from articles.models import (
    AmbiguousName,
    Article,
    ArticleAuthor,
    ArticleTopic,
    Author,
    Mention,
    OtherName,
    Party,
    PartyMembership,
    Politician,
    Role,
    Source,
    Topic,
)
from articles.models.bylines import byline_names

pytestmark = pytest.mark.django_db

SEED_DATE = dt.date(2016, 6, 28)
# The seed exactly as supplied; the archive ships it unchanged.
SEED_SHA256 = "58b39aca42b7b59f8e110df35bc0b976f706d95e62db6bf3540dcabdbaa7ef91"
SEED_PEOPLE = {
    "Jeremy Corbyn": ("subject", "Labour Party"),
    "Hilary Benn": ("mentioned", "Labour Party"),
    "Diane Abbott": ("quoted", "Labour Party"),
    "Tony Blair": ("mentioned", "Labour Party"),
    "Gordon Brown": ("mentioned", "Labour Party"),
    "David Cameron": ("mentioned", "Conservative Party"),
}
OWN_SOURCE = "Political News Archive"


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def snapshot():
    models = [Party, Politician, OtherName, PartyMembership, Role, Source, Topic, Article]
    models += [ArticleTopic, Mention, AmbiguousName, Author, ArticleAuthor]
    counts = {model.__name__: model.objects.count() for model in models}
    mentions = sorted(
        Mention.objects.values_list("article_id", "politician_id", "role", "state", "party_id")
    )
    articles = sorted(Article.objects.values_list("id", "slug", "published_at", "updated_at"))
    return counts, mentions, articles


@pytest.fixture
def demo():
    load_demo()


@pytest.fixture
def seed(demo):
    return Article.objects.get(source__name="Sharecast News")


def test_second_run_changes_nothing():
    first = load_demo()
    before = snapshot()

    second = load_demo()

    assert snapshot() == before
    assert "0 created, 0 updated" in second
    assert "Seed article: there already" in second
    assert "created" in first and "65 articles" in first


def test_a_second_run_keeps_what_editors_changed_and_duplicates_nothing():
    load_demo()
    corbyn = Politician.objects.get(popolo_id="person/jeremy-corbyn")
    corbyn.biography = "Edited by an editor."
    corbyn.save()
    article = Article.objects.filter(source__name=OWN_SOURCE).order_by("pk").first()
    article.headline = "Retitled by an editor"
    article.save()
    membership = PartyMembership.objects.filter(politician=corbyn).first()
    membership.end_date = dt.date(2030, 1, 1)
    membership.save()
    seed = Article.objects.get(source__name="Sharecast News")
    seed.mentions.filter(politician__popolo_id="person/tony-blair").delete()
    before = snapshot()

    load_demo()

    assert snapshot() == before
    assert Politician.objects.get(pk=corbyn.pk).biography == "Edited by an editor."
    assert Article.objects.get(pk=article.pk).headline == "Retitled by an editor"
    assert PartyMembership.objects.get(pk=membership.pk).end_date == dt.date(2030, 1, 1)
    assert not seed.mentions.filter(politician__popolo_id="person/tony-blair").exists()


def test_a_second_run_creates_what_is_missing():
    load_demo()
    article = Article.objects.filter(source__name=OWN_SOURCE).order_by("pk").first()
    headline, total = article.headline, Article.objects.count()
    article.delete()
    unmentioned = Politician.objects.get(popolo_id="person/tony-blair")
    Mention.objects.filter(politician=unmentioned).delete()
    unmentioned.delete()

    load_demo()

    assert Article.objects.count() == total
    assert Article.objects.filter(headline=headline).count() == 1
    assert Politician.objects.filter(popolo_id=unmentioned.popolo_id).count() == 1


def test_seed_file_is_shipped_as_supplied():
    assert hashlib.sha256(SEED_FILE.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_article_keeps_its_text_and_date(seed):
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]

    assert seed.headline == lines[0]
    assert seed.paragraphs() == lines[1:]
    assert seed.published_on == SEED_DATE
    assert seed.is_public()


def test_seed_has_exactly_its_six_politicians_with_their_parties_that_day(seed):
    confirmed = seed.mentions.confirmed().select_related("politician", "party")

    found = {m.politician.name: (m.role, m.party.name) for m in confirmed}

    assert found == SEED_PEOPLE
    assert not seed.mentions.suggested().exists()
    for mention in confirmed:
        assert mention.published_on == SEED_DATE
        assert party_of(mention.politician, SEED_DATE) == mention.party


def test_seed_posts_held_that_day(seed):
    def titles(name):
        roles = Politician.objects.get(name=name).roles.active_on(SEED_DATE)
        return set(roles.values_list("title", flat=True))

    assert "Leader of the Labour Party" in titles("Jeremy Corbyn")
    assert "Shadow Secretary of State for Health" in titles("Diane Abbott")
    assert "Prime Minister" in titles("David Cameron")
    assert titles("Hilary Benn") == set()  # dismissed two days earlier


def test_demo_has_people_parties_and_articles(demo):
    assert Politician.objects.count() >= 25
    parties = Party.objects.all()
    assert parties.count() >= 6
    colours = [party.colour for party in parties]
    assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", colour) for colour in colours)
    assert len(set(colours)) == len(colours)
    assert "#777777" not in colours

    articles = Article.objects.published().filter(source__name=OWN_SOURCE)
    assert articles.count() >= 30
    for article in articles.prefetch_related("topics", "mentions"):
        assert 2015 <= article.published_on.year <= 2020, article
        assert 2 <= len(article.paragraphs()) <= 4, article
        assert article.topics.all(), article
        assert article.mentions.confirmed().exists(), article
        assert not article.mentions.suggested().exists(), article


def test_the_archive_has_politicians_sharing_a_family_name(demo):
    browns = Politician.objects.filter(family_name="Brown")
    assert set(browns.values_list("name", flat=True)) == {"Gordon Brown", "Nick Brown"}


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        ("Chuka Umunna", "Labour Party", "Change UK"),
        ("Luciana Berger", "Labour Party", "Change UK"),
        ("Sarah Wollaston", "Change UK", "Liberal Democrats"),
        ("Nigel Farage", "UK Independence Party", "Brexit Party"),
    ],
)
def test_party_switchers_change_party_in_the_archive(demo, name, before, after):
    mentions = (
        Mention.objects.confirmed()
        .filter(politician__name=name)
        .select_related("party")
        .order_by("published_on")
    )
    parties = [m.party.name if m.party else None for m in mentions]

    assert before in parties and after in parties
    assert parties.index(before) < parties.index(after)
    for mention in mentions:
        assert party_of(mention.politician, mention.published_on) == mention.party


def test_umunna_party_on_either_side_of_each_switch(demo):
    umunna = Politician.objects.get(name="Chuka Umunna")

    assert party_of(umunna, dt.date(2019, 2, 17)).name == "Labour Party"
    assert party_of(umunna, dt.date(2019, 2, 18)).name == "Change UK"
    assert party_of(umunna, dt.date(2019, 6, 10)) is None
    assert party_of(umunna, dt.date(2019, 12, 12)).name == "Liberal Democrats"


def test_every_mention_is_named_in_its_article(demo):
    for article in Article.objects.prefetch_related("mentions__politician__other_names"):
        text = f"{article.headline}\n{article.body}"
        for mention in article.mentions.all():
            person = mention.politician
            names = [person.name, person.family_name]
            names += [other.name for other in person.other_names.all()]
            assert any(name and name in text for name in names), (person, article)


def test_demo_articles_file_is_written_in_our_own_name():
    text = ARTICLES_FILE.read_text(encoding="utf-8")
    assert text.count(f'"source": "{OWN_SOURCE}"') == len(text.splitlines())


def test_demo_bylines_become_authors(demo):
    bylined = Article.objects.exclude(byline="")
    assert bylined.exists()
    for article in bylined:
        assert [a.name for a in article.authors.all()] == byline_names(article.byline)
    load_demo()
    assert ArticleAuthor.objects.count() == sum(len(byline_names(a.byline)) for a in bylined)
