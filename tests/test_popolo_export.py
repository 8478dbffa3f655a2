import datetime as dt
import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from articles.io.exports.popolo import build_popolo
from articles.io.importers.popolo import import_popolo
from articles.models import OtherName, Party, PartyMembership, Politician, Role
from tests.factories import (
    AreaFactory,
    AreaIdentifierFactory,
    MembershipFactory,
    OtherNameFactory,
    PartyFactory,
    PoliticianFactory,
    PoliticianIdentifierFactory,
    RoleFactory,
)

SCHEMAS = Path(__file__).parent / "data" / "popolo-schemas"
SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
BASE_URL = "https://archive.example.org"


def _retrieve(uri):
    name = uri.removeprefix(SCHEMA_BASE).split("#")[0]
    return Resource.from_contents(
        json.loads((SCHEMAS / name).read_text()), default_specification=DRAFT3
    )


REGISTRY = Registry(retrieve=_retrieve)


def validator(name):
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return jsonschema.Draft3Validator(
        schema, registry=REGISTRY, format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER
    )


SECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "areas": "area",
}


@pytest.fixture
def archive(db):
    labour = PartyFactory(
        name="Labour Party", short_name="Lab", colour="#E4003B", wikidata_id="Q9630"
    )
    ukip = PartyFactory(
        name="UK Independence Party",
        short_name="UKIP",
        colour="#70147A",
        founding_date=dt.date(1993, 9, 3),
        description="A party of <b>Brexit</b> & more.",
    )
    conservatives = PartyFactory(name="Conservative Party", short_name="", country="")
    switcher = PoliticianFactory(
        name="Douglas Carswell",
        given_name="Douglas",
        family_name="Carswell",
        birth_date=dt.date(1971, 5, 3),
        biography="Switched parties in 2014.",
        wikidata_id="Q333",
        image_url="https://example.org/carswell.jpg",
    )
    MembershipFactory(
        politician=switcher,
        party=conservatives,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(
        politician=switcher, party=ukip, start_date=dt.date(2014, 8, 28), end_date=None
    )
    OtherNameFactory(politician=switcher, name="Carswell", note="family name")
    OtherNameFactory(
        politician=switcher,
        name="Mr Carswell",
        start_date=dt.date(2005, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    leader = PoliticianFactory(name="Jeremy Corbyn", given_name="Jeremy", family_name="Corbyn")
    MembershipFactory(politician=leader, party=labour, start_date=None, end_date=None)
    RoleFactory(
        politician=leader,
        title="Leader of the Labour Party",
        organisation="Labour Party",
        start_date=dt.date(2015, 9, 12),
        end_date=dt.date(2020, 4, 4),
    )
    RoleFactory(
        politician=leader, title="Member of Parliament for Islington North", start_date=None
    )
    clacton = AreaFactory(name="Clacton", popolo_id="uk.org.publicwhip/cons/2183")
    AreaIdentifierFactory(area=clacton, scheme="gss", identifier="E14000642")
    PoliticianIdentifierFactory(
        politician=switcher, scheme="parlparse", identifier="uk.org.publicwhip/person/11727"
    )
    RoleFactory(
        politician=switcher,
        title="Member of Parliament for Clacton",
        organisation="House of Commons",
        area=clacton,
        start_date=dt.date(2010, 5, 6),
    )
    PoliticianFactory(name="Nobody Special", given_name="", family_name="")
    return {"switcher": switcher, "leader": leader}


def test_every_object_validates_against_the_popolo_schemas(archive):
    document = build_popolo(base_url=BASE_URL)
    assert list(document) == ["persons", "organizations", "memberships", "posts", "areas"]
    for section, schema_name in SECTIONS.items():
        check = validator(schema_name)
        assert document[section], section
        for item in document[section]:
            errors = [error.message for error in check.iter_errors(item)]
            assert errors == [], (section, item)


def test_the_validator_catches_a_broken_object():
    errors = list(validator("person").iter_errors({"name": 5, "birth_date": "3 May 1971"}))
    assert len(errors) == 2


def test_document_follows_the_mapping(archive):
    document = build_popolo(base_url=BASE_URL)
    persons = {p["name"]: p for p in document["persons"]}
    carswell = persons["Douglas Carswell"]
    assert carswell["id"] == f"person/{archive['switcher'].slug}"
    assert carswell["identifiers"] == [
        {"scheme": "parlparse", "identifier": "uk.org.publicwhip/person/11727"},
        {"scheme": "wikidata", "identifier": "Q333"},
    ]
    assert carswell["image"] == "https://example.org/carswell.jpg"
    assert carswell["birth_date"] == "1971-05-03"
    assert carswell["other_names"] == [
        {"name": "Carswell", "note": "family name"},
        {"name": "Mr Carswell", "start_date": "2005-01-01", "end_date": "2019-12-31"},
    ]
    assert carswell["links"] == [
        {"url": f"{BASE_URL}/politicians/{archive['switcher'].slug}/", "note": "archive page"}
    ]

    organizations = {o["id"]: o for o in document["organizations"]}
    ukip = organizations["party/uk-independence-party"]
    assert ukip["classification"] == "party"
    assert ukip["other_names"] == [{"name": "UKIP", "note": "short name"}]
    assert ukip["color"] == "#70147A"
    assert ukip["founding_date"] == "1993-09-03"
    assert organizations["organisation/labour-party"] == {
        "id": "organisation/labour-party",
        "classification": "organisation",
        "name": "Labour Party",
    }

    party_rows = [m for m in document["memberships"] if m.get("role") == "member"]
    carswell_parties = sorted(
        (m["organization_id"], m.get("start_date"), m.get("end_date"))
        for m in party_rows
        if m["person_id"] == carswell["id"]
    )
    assert carswell_parties == [
        ("party/conservative-party", "2005-05-05", "2014-08-27"),
        ("party/uk-independence-party", "2014-08-28", None),
    ]
    posts = {p["label"]: p for p in document["posts"]}
    assert posts["Leader of the Labour Party"] == {
        "id": "post/leader-of-the-labour-party",
        "label": "Leader of the Labour Party",
        "organization_id": "organisation/labour-party",
    }
    assert "organization_id" not in posts["Member of Parliament for Islington North"]
    assert posts["Member of Parliament for Clacton"]["area_id"] == "uk.org.publicwhip/cons/2183"
    assert document["areas"] == [
        {
            "id": "uk.org.publicwhip/cons/2183",
            "name": "Clacton",
            "classification": "constituency",
            "identifiers": [{"scheme": "gss", "identifier": "E14000642"}],
        }
    ]
    role_rows = [m for m in document["memberships"] if "post_id" in m]
    assert len(role_rows) == 3
    for section in SECTIONS:
        ids = [item["id"] for item in document[section]]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_popolo_id_is_used_when_set(archive):
    archive["leader"].popolo_id = "uk.org.publicwhip/person/10133"
    archive["leader"].save()
    document = build_popolo(base_url=BASE_URL)
    ids = {p["name"]: p["id"] for p in document["persons"]}
    assert ids["Jeremy Corbyn"] == "uk.org.publicwhip/person/10133"
    assert any(m["person_id"] == "uk.org.publicwhip/person/10133" for m in document["memberships"])


def _flush_archive():
    Role.objects.all().delete()
    PartyMembership.objects.all().delete()
    OtherName.objects.all().delete()
    Politician.objects.all().delete()
    Party.objects.all().delete()


def test_round_trip_export_import_export_gives_the_same_document(archive, tmp_path):
    first = json.dumps(build_popolo(base_url=BASE_URL), indent=2, ensure_ascii=False)
    path = tmp_path / "popolo.json"
    path.write_text(first, encoding="utf-8")

    _flush_archive()
    assert not Politician.objects.exists()
    report = import_popolo(path)
    assert not report.failed, report

    second = json.dumps(build_popolo(base_url=BASE_URL), indent=2, ensure_ascii=False)
    assert second == first


def test_export_url_serves_the_document(archive, client):
    response = client.get("/export/popolo.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == build_popolo(base_url="http://testserver")


def test_command_writes_to_stdout_and_to_a_file(archive, tmp_path):
    out = StringIO()
    call_command("export_popolo", "--base-url", BASE_URL, stdout=out)
    assert json.loads(out.getvalue()) == build_popolo(base_url=BASE_URL)

    target = tmp_path / "out.json"
    call_command("export_popolo", str(target), "--base-url", BASE_URL, stderr=StringIO())
    assert json.loads(target.read_text()) == build_popolo(base_url=BASE_URL)


def test_command_reports_an_unwritable_file(db, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_popolo", str(tmp_path / "missing" / "out.json"))
