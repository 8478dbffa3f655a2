"""Popolo data that does not fit one party at a time, ids used twice, posts held twice."""

import datetime as dt

import pytest

from articles.derived.parties import party_of
from articles.io.importers.popolo import import_popolo
from articles.models import Politician, Role
from tests.test_import_popolo_published import run, spans, write

pytestmark = pytest.mark.django_db

PARTIES = [
    {"classification": "party", "id": "con", "name": "Conservative Party"},
    {"classification": "party", "id": "lab", "name": "Labour Party"},
    {"classification": "legislature", "id": "commons", "name": "House of Commons"},
]


def test_party_memberships_of_two_parties_at_once_are_reported_together(tmp_path):
    path = write(
        tmp_path,
        "overlaps.json",
        {
            "organizations": PARTIES,
            "persons": [{"id": "p1", "name": "Ann Example"}, {"id": "p2", "name": "Bob Example"}],
            "memberships": [
                {"person_id": "p1", "organization_id": "con", "start_date": "2005-05-05"},
                {"person_id": "p1", "organization_id": "lab", "start_date": "2019-01-01"},
                {"person_id": "p2", "organization_id": "lab", "start_date": "2001-01-01"},
                {"person_id": "p2", "organization_id": "con", "start_date": "2010-01-01"},
            ],
        },
    )

    report = import_popolo(path)

    assert [e.line for e in report.errors] == ["memberships[1]", "memberships[3]"]
    lines = list(report.error_lines())
    assert lines == [
        f"{path}: overlaps a membership of another party (a politician is in one party at a "
        "time) (2 records: memberships[1], memberships[3])"
    ]
    assert report.errors[0].detail == (
        "Labour Party 2019-01-01 to present and Conservative Party 2005-05-05 to present"
    )
    ann = Politician.objects.get(name="Ann Example")
    assert spans(ann) == [("Conservative Party", dt.date(2005, 5, 5), None)]
    out, err, ok = run(path, "-v", "2")
    assert "Labour Party 2019-01-01 to present and Conservative Party" in out + err


def test_a_floor_crossing_published_with_one_day_for_both_ends_the_first_the_day_before(
    tmp_path,
):
    """parlparse ends the old party's seat and starts the new one's on the same day."""
    seat = {"person_id": "p1", "organization_id": "commons", "area_id": "clacton"}
    path = write(
        tmp_path,
        "crossing.json",
        {
            "organizations": PARTIES,
            "areas": [{"id": "clacton", "name": "Clacton", "type": "constituency"}],
            "persons": [{"id": "p1", "name": "Douglas Example"}],
            "memberships": [
                {**seat, "on_behalf_of_id": "con", "start_date": "2005-05-05",
                 "end_date": "2014-08-28"},
                {**seat, "on_behalf_of_id": "lab", "start_date": "2014-08-28"},
            ],
        },
    )  # fmt: skip

    report = import_popolo(path)

    assert report.ok, report.errors
    person = Politician.objects.get(name="Douglas Example")
    assert spans(person) == [
        ("Conservative Party", dt.date(2005, 5, 5), dt.date(2014, 8, 27)),
        ("Labour Party", dt.date(2014, 8, 28), None),
    ]
    assert party_of(person, dt.date(2014, 8, 28)).name == "Labour Party"
    again = import_popolo(path)
    assert (again.created, again.updated, again.failed) == (0, 0, 0)


def test_a_person_id_used_twice_is_reported_and_the_first_kept(tmp_path):
    path = write(
        tmp_path,
        "twice.json",
        {
            "persons": [
                {"id": "p1", "name": "Ann Example"},
                {"id": "p2", "name": "Bob Example"},
                {"id": "p1", "name": "Ann Other"},
                {"id": "p1", "name": "Ann Third"},
            ],
        },
    )

    report = import_popolo(path)

    assert report.created == 2
    assert sorted(Politician.objects.values_list("name", flat=True)) == [
        "Ann Example",
        "Bob Example",
    ]
    assert list(report.error_lines()) == [
        f"{path}: duplicate id in persons (the first record with it is kept, this one is not "
        "imported) (2 records: persons[2], persons[3])"
    ]
    assert {e.label for e in report.errors} == {"p1"}
    assert {e.detail for e in report.errors} == {"the first is persons[0]"}


def test_the_same_title_in_two_organisations_at_once_is_two_roles(tmp_path):
    path = write(
        tmp_path,
        "posts.json",
        {
            "organizations": [
                {"classification": "committee", "id": "treasury", "name": "Treasury Committee"},
                {"classification": "committee", "id": "defence", "name": "Defence Committee"},
            ],
            "posts": [
                {"id": "t", "label": "Member", "organization_id": "treasury"},
                {"id": "d", "label": "Member", "organization_id": "defence"},
            ],
            "persons": [{"id": "p1", "name": "Ann Example"}],
            "memberships": [
                {"person_id": "p1", "post_id": "t", "start_date": "2010-07-01"},
                {"person_id": "p1", "post_id": "d", "start_date": "2010-07-01"},
            ],
        },
    )

    report = import_popolo(path)

    assert report.ok, report.errors
    roles = Role.objects.order_by("organisation")
    assert [(r.title, r.organisation, r.start_date) for r in roles] == [
        ("Member", "Defence Committee", dt.date(2010, 7, 1)),
        ("Member", "Treasury Committee", dt.date(2010, 7, 1)),
    ]
    again = import_popolo(path)
    assert (again.created, again.updated, again.failed) == (0, 0, 0)


@pytest.mark.parametrize("order", ["earlier first", "later first"])
def test_a_membership_ending_the_day_another_party_s_begins_ends_the_day_before(tmp_path, order):
    memberships = [
        {"person_id": "p1", "organization_id": "lab", "start_date": "1979-05-03",
         "end_date": "2000-10-23"},
        {"person_id": "p1", "organization_id": "con", "start_date": "2000-10-23"},
    ]  # fmt: skip
    if order == "later first":
        memberships.reverse()
    path = write(
        tmp_path,
        "shared-day.json",
        {
            "organizations": PARTIES,
            "persons": [{"id": "p1", "name": "Ann Example"}],
            "memberships": memberships,
        },
    )

    report = import_popolo(path)

    assert report.ok, report.errors
    assert spans(Politician.objects.get()) == [
        ("Labour Party", dt.date(1979, 5, 3), dt.date(2000, 10, 22)),
        ("Conservative Party", dt.date(2000, 10, 23), None),
    ]
    again = import_popolo(path)
    assert (again.created, again.updated, again.failed) == (0, 0, 0)
