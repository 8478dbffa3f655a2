import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.derived.parties import party_of
from articles.io.importers.popolo import import_popolo
from articles.models import Mention, OtherName, Party, PartyMembership, Politician, Role
from tests.factories import ArticleFactory, PartyFactory, on

DATA = Path(__file__).parent / "data" / "popolo"
GOOD = DATA / "good.json"

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the importer writes, as comparable values."""
    return (
        list(Party.objects.order_by("popolo_id").values()),
        list(Politician.objects.order_by("popolo_id").values()),
        list(OtherName.objects.order_by("name").values()),
        list(PartyMembership.objects.order_by("id").values()),
        list(Role.objects.order_by("id").values()),
    )


def test_imports_parties_people_memberships_and_posts():
    report = import_popolo(GOOD)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged, report.failed) == (12, 0, 0, 0)
    labour = Party.objects.get(popolo_id="party/labour")
    assert (labour.name, labour.short_name, labour.colour) == ("Labour Party", "Lab", "#E4003B")
    assert labour.wikidata_id == "Q9630"
    assert labour.founding_date == dt.date(1900, 2, 27)
    assert not Party.objects.filter(name="HM Government").exists()

    carswell = Politician.objects.get(popolo_id="person/douglas-carswell")
    assert carswell.slug == "douglas-carswell"
    assert carswell.wikidata_id == "Q334155"
    assert carswell.other_names.get().name == "Carswell of Clacton"
    corbyn = Politician.objects.get(popolo_id="person/jeremy-corbyn")
    assert corbyn.biography.startswith("Labour MP")
    assert corbyn.image_url == "https://example.org/corbyn.jpg"

    pm = Role.objects.get(title="Prime Minister")
    assert pm.politician.name == "David Cameron"
    assert pm.organisation == "HM Government"
    assert (pm.start_date, pm.end_date) == (dt.date(2010, 5, 11), dt.date(2016, 7, 13))
    assert Role.objects.get(title="Leader of the Labour Party").organisation == "Labour Party"


def test_partial_dates_are_first_day_for_starts_and_last_day_for_ends():
    import_popolo(GOOD)

    assert Party.objects.get(popolo_id="party/conservative").founding_date == dt.date(1834, 1, 1)
    assert Party.objects.get(popolo_id="party/ukip").founding_date == dt.date(1993, 9, 1)
    assert Politician.objects.get(name="David Cameron").birth_date == dt.date(1966, 10, 1)
    carswell = Politician.objects.get(name="Douglas Carswell")
    conservative, ukip = carswell.memberships.order_by("start_date")
    assert conservative.start_date == dt.date(2005, 1, 1)
    assert ukip.end_date == dt.date(2017, 3, 31)
    assert carswell.other_names.get().start_date == dt.date(2014, 1, 1)


def test_party_switcher_has_the_right_party_on_each_date():
    import_popolo(GOOD)
    carswell = Politician.objects.get(name="Douglas Carswell")

    assert party_of(carswell, dt.date(2014, 8, 27)).short_name == "Con"
    assert party_of(carswell, dt.date(2014, 8, 28)).short_name == "UKIP"
    assert party_of(carswell, dt.date(2017, 4, 1)) is None


def test_second_run_reports_everything_unchanged_and_changes_nothing():
    import_popolo(GOOD)
    before = snapshot()

    report = import_popolo(GOOD)

    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 0, 12, 0)
    assert snapshot() == before


def test_changed_record_is_updated_in_place(tmp_path):
    import_popolo(GOOD)
    changed = tmp_path / "changed.json"
    changed.write_text(
        GOOD.read_text()
        .replace('"end_date": "2017-03"', '"end_date": "2017-03-25"')
        .replace("#6D3177", "#70147A")
    )

    report = import_popolo(changed)

    assert (report.created, report.updated, report.failed) == (0, 2, 0)
    assert Party.objects.get(popolo_id="party/ukip").colour == "#70147A"
    assert PartyMembership.objects.get(party__popolo_id="party/ukip").end_date == dt.date(
        2017, 3, 25
    )
    assert Party.objects.count() == 3


def test_membership_change_refreshes_the_party_on_existing_mentions(tmp_path):
    import_popolo(GOOD)
    carswell = Politician.objects.get(name="Douglas Carswell")
    article = ArticleFactory(published_at=on(2017, 3, 28))
    Mention.objects.create(article=article, politician=carswell)
    assert Mention.objects.get().party.short_name == "UKIP"
    changed = tmp_path / "changed.json"
    changed.write_text(
        GOOD.read_text().replace('"end_date": "2017-03"', '"end_date": "2017-03-25"')
    )

    import_popolo(changed)

    assert Mention.objects.get().party is None


def test_party_entered_by_hand_is_adopted_by_name():
    PartyFactory(name="Labour Party", short_name="")

    report = import_popolo(GOOD)

    assert report.ok
    assert Party.objects.filter(name="Labour Party").get().popolo_id == "party/labour"


def test_bad_records_are_reported_by_file_and_record_and_good_ones_kept():
    path = DATA / "bad_records.json"

    report = import_popolo(path)

    reasons = {e.line: e.reason for e in report.errors}
    assert all(e.file == str(path) for e in report.errors)
    assert "bad color 'red'" in reasons["organizations[1]"]
    assert reasons["organizations[2]"] == "missing id"
    assert "missing name" in reasons["persons[1]"]
    assert "bad birth_date '26/05/1949'" in reasons["persons[2]"]
    assert "unknown person_id 'person/nobody'" in reasons["memberships[1]"]
    assert "unknown role 'treasurer'" in reasons["memberships[2]"]
    assert "bad start_date '2020-13'" in reasons["memberships[3]"]
    assert "end date may not be before the start date" in reasons["memberships[4]"]
    assert report.failed == 8
    assert Party.objects.get().popolo_id == "party/labour"
    assert Politician.objects.get().name == "Jeremy Corbyn"
    assert PartyMembership.objects.count() == 1


def test_atomic_writes_nothing_when_a_record_fails():
    report = import_popolo(DATA / "bad_records.json", atomic=True)

    assert report.rolled_back
    assert report.failed == 8
    assert not Party.objects.exists()
    assert not Politician.objects.exists()


def test_atomic_keeps_a_clean_file():
    report = import_popolo(GOOD, atomic=True)

    assert report.ok and not report.rolled_back
    assert Politician.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("malformed.json", 3, "not valid JSON"),
        ("not_utf8.json", 1, "not UTF-8"),
        ("empty.json", None, "the file is empty"),
        ("missing.json", None, "no such file"),
    ],
)
def test_unreadable_files_are_reported_without_a_traceback(name, line, reason):
    report = import_popolo(DATA / name)

    (error,) = report.errors
    assert (error.file, error.line) == (str(DATA / name), line)
    assert reason in error.reason
    assert not Politician.objects.exists()


def test_document_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")

    (error,) = import_popolo(path).errors

    assert (
        str(error) == f"{path}:1: expected a JSON object with persons, organizations, memberships"
    )


def test_command_prints_errors_as_file_and_line_and_fails():
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="8 failed"):
        call_command("import_popolo", str(DATA / "bad_records.json"), stderr=stderr)

    lines = stderr.getvalue().splitlines()
    assert f"{DATA / 'bad_records.json'}:memberships[1]: unknown person_id 'person/nobody'" in lines
    assert Politician.objects.filter(name="Jeremy Corbyn").exists()


def test_command_atomic_writes_nothing(tmp_path):
    with pytest.raises(CommandError, match="nothing written"):
        call_command(
            "import_popolo", str(DATA / "bad_records.json"), "--atomic", stderr=io.StringIO()
        )

    assert not Politician.objects.exists()


def test_command_succeeds_on_a_good_file(tmp_path):
    copy = tmp_path / "people.json"
    shutil.copy(GOOD, copy)
    stdout = io.StringIO()

    call_command("import_popolo", str(copy), stdout=stdout, stderr=io.StringIO())

    assert "12 created, 0 updated, 0 unchanged, 0 failed" in stdout.getvalue()
