"""A politician is a member of one party at a time; a post is held once per organisation.

On PostgreSQL the exclusion constraint of migration 0002 against overlapping memberships of the
same party is widened to memberships of any party, and the one against overlapping roles of the
same title is narrowed to roles of the same title *and* organisation (a "Member" of two
committees at once is two roles).

Memberships that already overlap are made to follow one another first, on every database, by
the party-on-the-date rule (``derived/parties.py``: of two memberships holding on a day, the one
begun later decides), so that what readers see changes as little as it can:

- the earlier membership ends the day before the later one starts;
- of two that start the same day (or both without a start), the one that does not decide (the
  older row) starts the day after the other ends; if the other never ends, the older row never
  decided anything and is deleted.

Each change is logged (logger ``articles.migrations``, one warning per membership, with the
politician, the party and the old and new dates) so it can be checked by hand. The mentions'
copies of the party and the stored counts are rebuilt with ``manage.py recount_articles``.
"""

import datetime as dt
import logging

from django.db import migrations
from django.db.models import Count

log = logging.getLogger("articles.migrations")
DAY = dt.timedelta(days=1)

ONE_PARTY_AT_A_TIME = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE articles_partymembership DROP CONSTRAINT IF EXISTS membership_no_overlap;
ALTER TABLE articles_partymembership ADD CONSTRAINT membership_one_party_at_a_time
  EXCLUDE USING gist (politician_id WITH =, daterange(start_date, end_date, '[]') WITH &&);
ALTER TABLE articles_role DROP CONSTRAINT IF EXISTS role_no_overlap;
ALTER TABLE articles_role ADD CONSTRAINT role_no_overlap
  EXCLUDE USING gist (
    politician_id WITH =, title WITH =, organisation WITH =,
    daterange(start_date, end_date, '[]') WITH &&
  );
"""

SAME_PARTY_ONLY = """
ALTER TABLE articles_partymembership DROP CONSTRAINT IF EXISTS membership_one_party_at_a_time;
ALTER TABLE articles_partymembership ADD CONSTRAINT membership_no_overlap
  EXCLUDE USING gist (
    politician_id WITH =, party_id WITH =, daterange(start_date, end_date, '[]') WITH &&
  );
ALTER TABLE articles_role DROP CONSTRAINT IF EXISTS role_no_overlap;
ALTER TABLE articles_role ADD CONSTRAINT role_no_overlap
  EXCLUDE USING gist (
    politician_id WITH =, title WITH =, daterange(start_date, end_date, '[]') WITH &&
  );
"""


def _period(start, end):
    return f"{start or '?'} to {end or 'present'}"


def _overlap(a, b):
    return (a.end_date is None or b.start_date is None or b.start_date <= a.end_date) and (
        b.end_date is None or a.start_date is None or a.start_date <= b.end_date
    )


def _deciding(membership):
    return (membership.start_date is not None, membership.start_date or dt.date.min, membership.pk)


def follow_one_another(memberships):
    """Change ``memberships`` (one politician's) so that none overlap; returns
    ``(changed, deleted)`` lists of (membership, its old period). Spans only ever shrink, so
    no change makes a new overlap."""
    rows, old, deleted = list(memberships), {}, []
    while True:
        rows.sort(key=_deciding)
        pair = next(
            ((a, b) for i, a in enumerate(rows) for b in rows[i + 1 :] if _overlap(a, b)), None
        )
        if pair is None:
            break
        earlier, later = pair
        old.setdefault(earlier.pk, _period(earlier.start_date, earlier.end_date))
        if earlier.start_date != later.start_date:
            earlier.end_date, earlier.end_precision = later.start_date - DAY, "day"
        elif later.end_date is not None and (
            earlier.end_date is None or earlier.end_date > later.end_date
        ):
            earlier.start_date, earlier.start_precision = later.end_date + DAY, "day"
        else:
            rows.remove(earlier)
            deleted.append((earlier, old.pop(earlier.pk)))
    changed = [(m, old[m.pk]) for m in rows if m.pk in old]
    return changed, deleted


def end_overlapping_memberships(apps, schema_editor):
    PartyMembership = apps.get_model("articles", "PartyMembership")
    db = schema_editor.connection.alias
    memberships = PartyMembership.objects.using(db).select_related("politician", "party")
    several = (
        PartyMembership.objects.using(db)
        .values("politician_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("politician_id", flat=True)
    )
    for politician_id in sorted(several):
        changed, deleted = follow_one_another(list(memberships.filter(politician_id=politician_id)))
        for membership, old in deleted:
            log.warning(
                "Deleted the membership of %s in %s (%s): another membership that starts the "
                "same day and is never ended decides the party all that time.",
                membership.politician.name,
                membership.party.name,
                old,
            )
            membership.delete()
        for membership, old in changed:
            log.warning(
                "The membership of %s in %s (%s) overlapped another; now %s.",
                membership.politician.name,
                membership.party.name,
                old,
                _period(membership.start_date, membership.end_date),
            )
            membership.save(
                update_fields=["start_date", "end_date", "start_precision", "end_precision"]
            )


class PostgreSQLOnly(migrations.RunSQL):
    """Raw SQL that runs on PostgreSQL and is skipped elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_authors")]

    operations = [
        migrations.RunPython(end_overlapping_memberships, migrations.RunPython.noop),
        PostgreSQLOnly(ONE_PARTY_AT_A_TIME, SAME_PARTY_ONLY),
    ]
