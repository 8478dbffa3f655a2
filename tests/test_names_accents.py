"""Names with accents: slugs, the person search, the admin's autocomplete and the suggestions."""

import pytest
from django.urls import reverse

from articles.models import Politician
from articles.suggestions import NameIndex, find_names
from tests.factories import AreaFactory, OtherNameFactory, PartyFactory, PoliticianFactory

pytestmark = pytest.mark.django_db


def test_slugs_are_transliterated():
    assert PoliticianFactory(name="Davíð Oddsson", slug="").slug == "david-oddsson"
    assert PoliticianFactory(name="Lembit Öpik", slug="").slug == "lembit-opik"
    assert PoliticianFactory(name="Łukasz Strauß", slug="").slug == "lukasz-strauss"
    assert PartyFactory(name="Sjálfstæðisflokkurinn", slug="").slug == "sjalfstaedisflokkurinn"
    assert AreaFactory(name="Ynys Môn", slug="").slug == "ynys-mon"


@pytest.mark.parametrize("typed", ["Opik", "opik", "Öpik", "LEMBIT OPIK", "t Öpik"])
def test_the_person_search_ignores_accents(typed):
    opik = PoliticianFactory(name="Lembit Öpik")
    PoliticianFactory(name="Lembit Opie")
    assert list(Politician.objects.search(typed)) == [opik]


def test_the_search_finds_transliterated_letters_and_other_names():
    oddsson = PoliticianFactory(name="Davíð Oddsson")
    strauss = PoliticianFactory(name="Johann Strauß")
    lord = PoliticianFactory(name="Someone Else")
    OtherNameFactory(politician=lord, name="Lord Øresund")
    assert list(Politician.objects.search("David Oddsson")) == [oddsson]
    assert list(Politician.objects.search("Strauss")) == [strauss]
    assert list(Politician.objects.search("oresund")) == [lord]
    assert list(Politician.objects.search("a.b")) == []  # typed text is not a pattern


def test_the_admin_autocomplete_finds_a_politician_without_accents(editor_client):
    opik = PoliticianFactory(name="Lembit Öpik")
    PoliticianFactory(name="Someone Else")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Opik",
            "app_label": "articles",
            "model_name": "partymembership",
            "field_name": "politician",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(opik)]


def test_the_admin_list_search_ignores_accents(editor_client):
    PoliticianFactory(name="Lembit Öpik")
    PoliticianFactory(name="Someone Else")
    response = editor_client.get(reverse("admin:articles_politician_changelist"), {"q": "opik"})
    assert [p.name for p in response.context["cl"].result_list] == ["Lembit Öpik"]


def test_a_name_written_without_accents_is_suggested_as_its_politician():
    opik = PoliticianFactory(name="Lembit Öpik", given_name="Lembit", family_name="Öpik")
    oddsson = PoliticianFactory(name="Davíð Oddsson", given_name="Davíð", family_name="Oddsson")
    index = NameIndex.build()
    text = "Lembit Opik, the Liberal Democrat, met David Oddsson in Reykjavik."
    assert find_names(text, index).found == {opik.pk, oddsson.pk}
    assert find_names("Mr Öpik said so.", index).found == {opik.pk}
