"""Popolo files as EveryPolitician and parlparse publish them, through the real command."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.derived.parties import party_of
from articles.models import (
    Area,
    OtherName,
    Party,
    PartyMembership,
    Politician,
    PoliticianIdentifier,
    Role,
)

DATA = Path(__file__).parent / "data" / "popolo"
COMMONS = DATA / "everypolitician-uk-commons.json"

pytestmark = pytest.mark.django_db


def run(path, *args):
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_popolo", str(path), *args, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return stdout.getvalue(), stderr.getvalue() + str(error), False
    return stdout.getvalue(), stderr.getvalue(), True


def spans(politician):
    return [
        (m.party.name, m.start_date, m.end_date)
        for m in politician.memberships.select_related("party").order_by("start_date")
    ]


def test_seats_become_party_memberships_merged_across_dissolutions():
    out, err, ok = run(COMMONS)

    assert ok, err
    illsley = Politician.objects.get(name="Eric Illsley")
    # Four terms, 1997-2011, each with the gap from dissolution to election: one membership.
    assert spans(illsley) == [("Labour", dt.date(1997, 5, 1), dt.date(2011, 2, 8))]
    assert party_of(illsley, dt.date(2005, 4, 20)).name == "Labour"


def test_a_party_change_within_a_term_splits_the_membership():
    run(COMMONS)

    flight = Politician.objects.get(name="Howard Flight")
    assert spans(flight) == [
        ("Conservative", dt.date(1997, 5, 1), dt.date(2005, 3, 24)),
        ("Independent", dt.date(2005, 3, 25), dt.date(2005, 4, 11)),
    ]
    assert party_of(flight, dt.date(2005, 3, 24)).name == "Conservative"
    assert party_of(flight, dt.date(2005, 3, 25)).name == "Independent"


def test_a_by_election_start_and_an_open_current_term():
    run(COMMONS)

    lewell_buck = Politician.objects.get(name="Emma Lewell-Buck")
    assert spans(lewell_buck) == [("Labour", dt.date(2013, 5, 3), None)]
    miliband = Politician.objects.get(name="David Miliband")
    assert spans(miliband) == [("Labour", dt.date(2001, 6, 7), dt.date(2013, 4, 15))]


def test_the_seat_becomes_a_role_in_its_constituency():
    run(COMMONS)

    (role,) = Politician.objects.get(name="David Miliband").roles.all()
    assert role.title == "Member of Parliament for South Shields"
    assert role.organisation == "House of Commons"
    assert role.area.name == "South Shields"
    assert role.area.popolo_id == "uk.org.publicwhip/cons/525"
    assert (role.start_date, role.end_date) == (dt.date(2001, 6, 7), dt.date(2013, 4, 15))
    south_shields = Area.objects.get(name="South Shields")
    assert sorted(r.politician.name for r in south_shields.roles.all()) == [
        "David Clark",
        "David Miliband",
        "Emma Lewell-Buck",
    ]


def test_two_seats_of_one_person_are_two_roles():
    run(COMMONS)

    martin = Politician.objects.get(name="Michael Martin")
    roles = martin.roles.order_by("start_date")
    assert [(r.area.name, r.start_date, r.end_date) for r in roles] == [
        ("Glasgow Springburn", dt.date(1997, 5, 1), dt.date(2005, 4, 11)),
        ("Glasgow North East", dt.date(2005, 5, 5), dt.date(2009, 6, 22)),
    ]
    # Deputy Speaker, then Speaker; a week as an independent when the new seat began.
    assert party_of(martin, dt.date(1999, 1, 1)).name == "Deputy Speaker"
    assert party_of(martin, dt.date(2003, 1, 1)).name == "Speaker"
    assert party_of(martin, dt.date(2005, 5, 8)).name == "Independent"
    assert party_of(martin, dt.date(2008, 1, 1)).name == "Speaker"


def test_merging_does_not_bridge_another_partys_spell(tmp_path, settings):
    settings.POPOLO_MERGE_GAP_DAYS = 400
    run(COMMONS)

    conway = Politician.objects.get(name="Derek Conway")
    assert spans(conway) == [
        ("Conservative", dt.date(2001, 6, 7), dt.date(2008, 1, 29)),
        ("Independent", dt.date(2008, 1, 30), dt.date(2010, 4, 12)),
    ]


def test_the_gap_rule_is_configurable(settings):
    settings.POPOLO_MERGE_GAP_DAYS = 10
    run(COMMONS)

    illsley = Politician.objects.get(name="Eric Illsley")
    assert [s[1:] for s in spans(illsley)] == [
        (dt.date(1997, 5, 1), dt.date(2001, 5, 14)),
        (dt.date(2001, 6, 7), dt.date(2005, 4, 11)),
        (dt.date(2005, 5, 5), dt.date(2010, 4, 12)),
        (dt.date(2010, 5, 6), dt.date(2011, 2, 8)),
    ]
    assert party_of(illsley, dt.date(2005, 4, 20)) is None


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Party, Politician, OtherName, PartyMembership, Role, Area)
    ] + [list(PoliticianIdentifier.objects.order_by("pk").values())]


def test_second_run_changes_nothing():
    out, err, ok = run(COMMONS)
    assert ok, err
    before = snapshot()

    out, err, ok = run(COMMONS)

    assert ok, err
    assert " 0 created, 0 updated, " in f" {out}"
    assert snapshot() == before


def test_other_names_that_repeat_the_name_are_skipped_and_languages_kept():
    run(COMMONS)

    clark = Politician.objects.get(name="David Clark")
    assert [(o.name, o.lang) for o in clark.other_names.all()] == [
        ("David Clark, Baron Clark of Windermere", "")
    ]


def test_every_identifier_is_kept():
    run(COMMONS)

    clark = Politician.objects.get(name="David Clark")
    assert clark.wikidata_id == "Q333397"
    assert {(i.scheme, i.identifier) for i in clark.identifiers.all()} >= {
        ("wikidata", "Q333397"),
        ("datadotparl", "525"),
        ("historichansard", "189"),
        ("everypolitician_legacy", "10108"),
    }
    assert clark.identifiers.count() == 9


def test_an_unknown_party_is_reported_once_naming_on_behalf_of_id(tmp_path):
    document = json.loads(COMMONS.read_text())
    document["organizations"] = [o for o in document["organizations"] if o["id"] != "labour"]
    path = tmp_path / "no-labour.json"
    path.write_text(json.dumps(document))

    out, err, ok = run(path)

    assert not ok
    lines = [line for line in err.splitlines() if "labour" in line]
    assert lines == [
        f"{path}: unknown on_behalf_of_id 'labour': no organization in the file or the "
        "archive has that id (10 records: memberships[0], memberships[1], memberships[2], …)"
    ]
    assert "10 failed" in err
    assert Politician.objects.get(name="Howard Flight").memberships.count() == 2


def test_verbose_lists_every_record(tmp_path):
    document = json.loads(COMMONS.read_text())
    document["organizations"] = [o for o in document["organizations"] if o["id"] != "labour"]
    path = tmp_path / "no-labour.json"
    path.write_text(json.dumps(document))

    out, err, ok = run(path, "-v", "2")

    assert f"  {path}:memberships[20]: unknown on_behalf_of_id 'labour'" in err


PARLPARSE = DATA / "parlparse-people.json"


def test_parlparse_seats_with_post_id_and_partial_dates():
    out, err, ok = run(PARLPARSE)

    assert ok, err
    macdonald = Politician.objects.get(name="Ramsay MacDonald")
    assert (macdonald.given_name, macdonald.family_name) == ("Ramsay", "MacDonald")
    assert spans(macdonald) == [("Labour", dt.date(1922, 11, 1), dt.date(1929, 12, 31))]
    (role,) = macdonald.roles.all()
    assert (role.title, role.organisation, role.area.name) == (
        "Member of Parliament for Aberavon",
        "House of Commons",
        "Aberavon",
    )
    assert [o.name for o in macdonald.other_names.all()] == ["J. Ramsay MacDonald"]
    assert {(i.scheme, i.identifier) for i in macdonald.identifiers.all()} == {
        ("historichansard_id", "4004"),  # a number in the file
        ("parlparse", "uk.org.publicwhip/person/20010"),  # the file's own id, kept
    }
    clark = Politician.objects.get(name="David Clark")
    assert spans(clark) == [("Labour", dt.date(1979, 5, 3), dt.date(2001, 5, 14))]
    assert Politician.objects.count() == 2  # the redirect is not a person


def test_parlparse_second_run_changes_nothing():
    run(PARLPARSE)
    before = snapshot()

    out, err, ok = run(PARLPARSE)

    assert ok, err
    assert " 0 created, 0 updated, " in f" {out}"
    assert snapshot() == before


@pytest.mark.parametrize("order", [(COMMONS, PARLPARSE), (PARLPARSE, COMMONS)])
def test_the_same_person_in_two_files_is_one_politician(order):
    for path in order:
        out, err, ok = run(path)
        assert ok, err

    clark = Politician.objects.get(name="David Clark")
    assert Politician.objects.filter(name__in=["David Clark"]).count() == 1
    assert {i.scheme for i in clark.identifiers.all()} >= {"wikidata", "datadotparl_id", "bnf"}
    assert spans(clark) == [("Labour", dt.date(1979, 5, 3), dt.date(2001, 5, 14))]
    (role,) = clark.roles.all()
    assert (role.start_date, role.end_date) == (dt.date(1979, 5, 3), dt.date(2001, 5, 14))
    assert Party.objects.filter(name="Labour").count() == 1
    assert Area.objects.filter(name="South Shields").count() == 1
    before = snapshot()
    for path in order:
        out, err, ok = run(path)
        assert " 0 created, 0 updated, " in f" {out}"
    assert snapshot() == before


def write(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_two_parties_may_share_a_name_and_keep_their_own_identifiers(tmp_path):
    run(COMMONS)
    irish = write(
        tmp_path,
        "ireland.json",
        {
            "organizations": [
                {
                    "classification": "party",
                    "id": "labour",
                    "identifiers": [{"identifier": "Q300250", "scheme": "wikidata"}],
                    "name": "Labour",
                }
            ]
        },
    )

    out, err, ok = run(irish)

    assert ok, err
    uk, ireland = Party.objects.filter(name="Labour").order_by("pk")
    assert (uk.wikidata_id, ireland.wikidata_id) == ("Q9630", "Q300250")
    assert uk.slug != ireland.slug
    assert uk.popolo_id == "labour" and ireland.popolo_id is None
    out, err, ok = run(irish)
    assert out.startswith("0 created, 0 updated, 1 unchanged")


def test_conflicting_identifiers_are_reported_not_merged(tmp_path):
    run(COMMONS)
    clash = write(
        tmp_path,
        "clash.json",
        {
            "persons": [
                {
                    "id": "someone",
                    "name": "Someone",
                    "identifiers": [
                        {"identifier": "Q333397", "scheme": "wikidata"},
                        {"identifier": "10306", "scheme": "everypolitician_legacy"},
                    ],
                }
            ]
        },
    )

    out, err, ok = run(clash)

    assert not ok
    assert (
        "identifiers conflict: wikidata Q333397 is the politician 'David Clark', "
        "everypolitician_legacy 10306 is the politician 'Adam Ingram'; not merged" in err
    )
    assert not Politician.objects.filter(name="Someone").exists()


def test_the_export_keeps_every_identifier_and_the_constituencies():
    from articles.io.exports.popolo import build_popolo

    run(COMMONS)
    document = build_popolo(base_url="https://archive.example")

    clark = next(p for p in document["persons"] if p["name"] == "David Clark")
    published = json.loads(COMMONS.read_text())
    source = next(p for p in published["persons"] if p["name"] == "David Clark")
    assert clark["identifiers"] == sorted(
        source["identifiers"], key=lambda i: (i["scheme"], i["identifier"])
    )
    assert {a["id"]: a["name"] for a in document["areas"]} == {
        a["id"]: a["name"] for a in published["areas"]
    }
    seat = next(p for p in document["posts"] if p["label"].endswith("South Shields"))
    assert seat["area_id"] == "uk.org.publicwhip/cons/525"


def test_the_politician_page_shows_constituencies_and_links_out(client):
    run(COMMONS)
    run(PARLPARSE)
    clark = Politician.objects.get(name="David Clark")

    html = client.get(clark.get_absolute_url()).content.decode()

    assert (
        'Constituency: <a href="/politicians/?area=south-shields">South Shields</a> (1979–2001)'
        in html
    )
    assert '<a href="https://www.wikidata.org/wiki/Q333397" rel="external">Wikidata</a>' in html
    assert (
        '<a href="https://www.theyworkforyou.com/mp/?p=10112" rel="external">TheyWorkForYou</a>'
        in html
    )


def test_the_politician_list_filters_by_constituency(client):
    run(COMMONS)

    html = client.get("/politicians/", {"area": "south-shields"}).content.decode()

    assert "who have represented South Shields" in html
    assert "David Miliband" in html and "Emma Lewell-Buck" in html
    assert "Eric Illsley" not in html
    html = client.get("/politicians/", {"area": "atlantis"}).content.decode()
    assert "There is no constituency “atlantis”" in html
    assert "Eric Illsley" in html


def test_editors_see_areas_and_identifiers_in_the_admin(admin_client):
    run(COMMONS)
    clark = Politician.objects.get(name="David Clark")
    south_shields = Area.objects.get(name="South Shields")

    page = admin_client.get(f"/admin/articles/politician/{clark.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Q333397"' in html and 'value="datadotparl"' in html
    page = admin_client.get("/admin/articles/area/", {"q": "Shields"})
    assert page.status_code == 200
    assert "South Shields" in page.content.decode()
    page = admin_client.get(f"/admin/articles/area/{south_shields.pk}/change/")
    assert page.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_large_import_refreshes_planner_statistics_on_postgresql(tmp_path):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE statistics are PostgreSQL's")
    path = write(
        tmp_path,
        "many.json",
        {"persons": [{"id": f"p{n}", "name": f"Person {n}"} for n in range(1000)]},
    )

    out, err, ok = run(path)

    assert ok, err
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
            [Politician._meta.db_table],
        )
        (last_analyze,) = cursor.fetchone()
    assert last_analyze is not None


def test_partial_dates_keep_their_precision_and_round_trip(client, tmp_path):
    from articles.io.exports.popolo import build_popolo

    run(PARLPARSE)
    macdonald = Politician.objects.get(name="Ramsay MacDonald")
    (membership,) = macdonald.memberships.all()
    assert (membership.start_precision, membership.end_precision) == ("month", "year")
    # The party on a day inside a partial span: a partial start counts from its first day, a
    # partial end to its last.
    assert party_of(macdonald, dt.date(1922, 11, 1)).name == "Labour"
    assert party_of(macdonald, dt.date(1929, 12, 31)).name == "Labour"
    assert party_of(macdonald, dt.date(1922, 10, 31)) is None

    html = client.get(macdonald.get_absolute_url()).content.decode()
    assert "Labour, November 1922 to 1929" in html

    document = build_popolo()
    seats = [
        m for m in document["memberships"] if m["person_id"] == "uk.org.publicwhip/person/20010"
    ]
    assert sorted((m.get("start_date"), m.get("end_date")) for m in seats) == [
        ("1922-11", "1929"),
        ("1922-11", "1929"),
    ]
    exported = tmp_path / "exported.json"
    exported.write_text(json.dumps(document))
    Politician.objects.all().delete()
    out, err, ok = run(exported)
    assert ok, err
    assert build_popolo() == document


def test_a_partial_birth_date_is_shown_as_given(client, tmp_path):
    path = write(
        tmp_path,
        "born.json",
        {"persons": [{"id": "p1", "name": "Ann Example", "birth_date": "1924-10"}]},
    )
    run(path)
    person = Politician.objects.get(name="Ann Example")

    html = client.get(person.get_absolute_url()).content.decode()

    assert person.birth_precision == "month"
    assert ">October 1924</time>" in html


def test_names_in_other_scripts_are_shown_only_when_asked(client, tmp_path):
    # Other names as EveryPolitician publishes them (Adrian Bailey's, UK Commons file).
    path = write(
        tmp_path,
        "bailey.json",
        {
            "persons": [
                {
                    "id": "c9a0c3e7-3fb5-4f4c-91f1-8a59a420aa5e",
                    "name": "Adrian Bailey",
                    "other_names": [
                        {"name": "Mr Adrian Bailey", "note": "alternate"},
                        {"lang": "da", "name": "Adrian Bailey", "note": "multilingual"},
                        {"lang": "fa", "name": "آدریان بیلی", "note": "multilingual"},
                        {"lang": "ru", "name": "Адриан Бэйли", "note": "multilingual"},
                    ],
                }
            ]
        },
    )
    run(path)
    bailey = Politician.objects.get(name="Adrian Bailey")
    assert sorted((o.name, o.lang) for o in bailey.other_names.all()) == [
        ("Mr Adrian Bailey", ""),
        ("Адриан Бэйли", "ru"),
        ("آدریان بیلی", "fa"),
    ]

    html = client.get(bailey.get_absolute_url()).content.decode()
    assert "Also known as: <span>Mr Adrian Bailey</span>" in html
    assert "Адриан" not in html
    assert "Names in other scripts (2)" in html

    html = client.get(bailey.get_absolute_url(), {"names": "all"}).content.decode()
    assert '<span lang="ru">Адриан Бэйли</span>' in html


def test_after_the_data_ends_the_last_party_is_shown_as_last_recorded(client):
    run(COMMONS)
    miliband = Politician.objects.get(name="David Miliband")

    html = client.get(miliband.get_absolute_url()).content.decode()

    assert "(last recorded to <time" in html and ">15 Apr 2013</time>)" in html
    assert "Independent / no party" not in html.split('class="person-party"')[1][:400]
    assert party_of(miliband, dt.date(2014, 1, 1)) is None  # facets still count the day's party
    html = client.get(
        Politician.objects.get(name="Emma Lewell-Buck").get_absolute_url()
    ).content.decode()
    assert "last recorded" not in html


def test_other_organisations_become_roles_with_their_organisation(tmp_path):
    path = write(
        tmp_path,
        "committees.json",
        {
            "organizations": [
                {"classification": "committee", "id": "treasury", "name": "Treasury Committee"},
                {"classification": "committee", "id": "defence", "name": "Defence Committee"},
            ],
            "persons": [{"id": "p1", "name": "Ann Example"}],
            "memberships": [
                {"person_id": "p1", "organization_id": "treasury", "start_date": "2010-07"},
                {"person_id": "p1", "organization_id": "defence", "start_date": "2011"},
                {
                    "person_id": "p1",
                    "organization_id": "treasury",
                    "role": "chair",
                    "start_date": "2015-06-18",
                },
            ],
        },
    )

    out, err, ok = run(path)

    assert ok, err
    roles = Politician.objects.get(name="Ann Example").roles.order_by("start_date")
    assert [(r.title, r.organisation, r.start_precision) for r in roles] == [
        ("Member, Treasury Committee", "Treasury Committee", "month"),
        ("Member, Defence Committee", "Defence Committee", "year"),
        ("Chair, Treasury Committee", "Treasury Committee", "day"),
    ]
    out, err, ok = run(path)
    assert out.startswith("0 created, 0 updated")
