"""Migration 0016: memberships that already overlap are made to follow one another."""

import datetime as dt
import importlib
import logging
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles.derived.parties import party_of
from articles.models import PartyMembership
from tests.factories import MembershipFactory, PartyFactory, PoliticianFactory

migration = importlib.import_module("articles.migrations.0016_one_party_at_a_time")
d = dt.date

pytestmark = pytest.mark.django_db


class Row:
    def __init__(self, pk, start, end):
        self.pk, self.start_date, self.end_date = pk, start, end
        self.start_precision = self.end_precision = "year"


def periods(rows):
    return sorted((r.pk, r.start_date, r.end_date) for r in rows)


def test_the_earlier_membership_ends_the_day_before_the_later_starts():
    con, lab = Row(1, d(2005, 5, 5), None), Row(2, d(2019, 1, 1), None)
    changed, deleted = migration.follow_one_another([lab, con])
    assert [(m.pk, old) for m, old in changed] == [(1, "2005-05-05 to present")]
    assert not deleted
    assert periods([con, lab]) == [(1, d(2005, 5, 5), d(2018, 12, 31)), (2, d(2019, 1, 1), None)]
    assert con.end_precision == "day"


def test_of_two_starting_the_same_day_the_older_row_follows_the_other_or_goes():
    older, newer = Row(1, None, d(2020, 1, 1)), Row(2, None, d(2010, 1, 1))
    changed, deleted = migration.follow_one_another([older, newer])
    assert periods([older, newer]) == [(1, d(2010, 1, 2), d(2020, 1, 1)), (2, None, d(2010, 1, 1))]
    assert not deleted

    shadowed, deciding = Row(1, d(2001, 1, 1), d(2005, 1, 1)), Row(2, d(2001, 1, 1), None)
    changed, deleted = migration.follow_one_another([shadowed, deciding])
    assert [m.pk for m, _ in deleted] == [1] and not changed


def test_after_it_no_two_overlap_whatever_the_spans():
    starts = [None, d(2000, 1, 1), d(2003, 6, 1), d(2003, 6, 1), d(2010, 1, 1)]
    ends = [None, d(2004, 1, 1), d(2012, 12, 31), None, d(2011, 1, 1)]
    rows = [Row(i, s, e) for i, (s, e) in enumerate(zip(starts, ends, strict=True))]
    changed, deleted = migration.follow_one_another(rows)
    kept = [r for r in rows if r not in [m for m, _ in deleted]]
    for i, a in enumerate(kept):
        assert a.start_date is None or a.end_date is None or a.start_date <= a.end_date
        for b in kept[i + 1 :]:
            assert not migration._overlap(a, b), (periods([a]), periods([b]))


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL refuses overlapping memberships"
)
def test_the_migration_ends_overlapping_memberships_in_the_database_and_logs_it(caplog):
    person = PoliticianFactory(name="Ann Example")
    con, lab = PartyFactory(name="Conservative Party"), PartyFactory(name="Labour Party")
    first = MembershipFactory(politician=person, party=con, start_date=d(2005, 5, 5))
    MembershipFactory(politician=person, party=lab, start_date=d(2019, 1, 1))
    other = MembershipFactory(start_date=d(2001, 1, 1))  # someone else's, untouched
    with caplog.at_level(logging.WARNING, logger="articles.migrations"):
        migration.end_overlapping_memberships(apps, SimpleNamespace(connection=connection))
    first.refresh_from_db()
    assert first.end_date == d(2018, 12, 31)
    assert PartyMembership.objects.get(pk=other.pk).end_date is None
    assert party_of(person, d(2019, 6, 1)) == lab
    assert caplog.messages == [
        "The membership of Ann Example in Conservative Party (2005-05-05 to present) "
        "overlapped another; now 2005-05-05 to 2018-12-31."
    ]
