"""Import people, parties, party memberships and posts from a Popolo JSON document.

The mapping is the one in ``docs/popolo.md`` (shared with the export). Persons and parties are
matched on their Popolo ``id``; memberships on (person, party, start date) and posts held on
(person, title, start date), so importing the same file twice changes nothing. Each party and
politician the import creates or changes gets a revision in its history ("Imported from FILE").
"""

import re
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from articles.models import OtherName, Party, PartyMembership, Politician, Role
from articles.revisions import record_revisions

from .dates import parse_partial_date
from .files import FileProblem, TooLongNumber, read_json
from .report import ImportReport, RecordError

PROGRESS_EVERY = 1000
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def import_popolo(path, *, atomic=False, progress=None) -> ImportReport:
    """Import the Popolo JSON file at ``path``; with ``atomic``, nothing is kept if any record
    fails. ``progress(done)`` is called every 1,000 records."""
    report = ImportReport()
    try:
        document = read_json(path)
    except FileProblem as problem:
        report.error(path, problem.line, problem.reason)
        return report
    if not isinstance(document, dict):
        report.error(path, 1, "expected a JSON object with persons, organizations, memberships")
        return report
    with transaction.atomic():
        _PopoloImport(document, str(path), report, progress).run()
        if atomic and report.failed:
            transaction.set_rollback(True)
            report.rolled_back = True
    return report


def _validation_text(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _text(record, key, *, required=False):
    value = record.get(key)
    if value is None:
        if required:
            raise RecordError(f"missing {key}")
        return ""
    if not isinstance(value, str):
        kind = repr(value) if isinstance(value, TooLongNumber) else type(value).__name__
        raise RecordError(f"{key} must be a string, not {kind}")
    if "\x00" in value:
        raise RecordError(f"{key} contains a NUL character")
    value = value.strip()
    if required and not value:
        raise RecordError(f"empty {key}")
    return value


def _list(record, key):
    value = record.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"{key} must be a list")
    for item in value:
        if not isinstance(item, dict):
            raise RecordError(f"each of {key} must be an object")
    return value


def _wikidata(record):
    for identifier in _list(record, "identifiers"):
        if str(identifier.get("scheme", "")).lower() == "wikidata":
            return _text(identifier, "identifier")
    return ""


def _present(record, values, keys):
    """Only the values whose Popolo key is in ``record``: an absent key leaves a field alone."""
    return {field: value for field, value in values.items() if keys.get(field, field) in record}


def _changed(instance, values):
    """Set ``values`` on ``instance``; whether anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _validate(instance, exclude=("slug",)):
    try:
        instance.clean_fields(exclude=list(exclude))
        instance.clean()
    except ValidationError as error:
        raise RecordError(_validation_text(error)) from None


class _PopoloImport:
    def __init__(self, document, file, report, progress):
        self.document = document
        self.file = file
        self.report = report
        self.progress = progress
        self.done = 0
        self.parties = {}  # Popolo id -> Party
        self.organisations = {}  # Popolo id -> name (non-party organizations)
        self.posts = {}  # Popolo id -> {"label", "organization_id"}
        self.people = {}  # Popolo id -> politician id
        self.revised = {Party: set(), Politician: set()}  # pks of the records to record
        self.touched = []  # (model, pk) changed by the record being imported

    def run(self):
        sections = {}
        for key in ("organizations", "posts", "persons", "memberships"):
            value = self.document.get(key, [])
            if not isinstance(value, list):
                self.report.error(self.file, key, f"{key} must be a list")
                value = []
            sections[key] = value
        self.parties = {p.popolo_id: p for p in Party.objects.exclude(popolo_id=None)}
        self.people = dict(
            Politician.objects.exclude(popolo_id=None).values_list("popolo_id", "id")
        )
        self._each("organizations", sections, self.organization)
        self._each("posts", sections, self.post, counted=False)
        self._each("persons", sections, self.person)
        self._each("memberships", sections, self.membership)
        self._record_history()

    def _record_history(self):
        """One revision per party and per politician (with memberships, posts, other names)."""
        comment = f"Imported from {Path(self.file).name}"
        record_revisions(Party.objects.filter(pk__in=self.revised[Party]), comment=comment)
        record_revisions(
            Politician.objects.filter(pk__in=self.revised[Politician]).prefetch_related(
                Prefetch("memberships", queryset=PartyMembership.objects.select_related("party")),
                "roles",
                "other_names",
            ),
            comment=comment,
        )

    def _each(self, key, sections, handler, counted=True):
        for index, record in enumerate(sections[key]):
            where = f"{key}[{index}]"
            self.touched = []
            try:
                if not isinstance(record, dict):
                    raise RecordError("expected an object")
                with transaction.atomic():
                    outcome = handler(record)
            except RecordError as error:
                label = record.get("id") if isinstance(record, dict) else None
                reason = f"{error.reason} (id {label!r})" if label else error.reason
                self.report.error(self.file, where, reason)
            except DatabaseError as error:
                first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
                self.report.error(self.file, where, f"rejected by the database: {first_line}")
            else:
                if counted and outcome:
                    self.report.count(outcome)
                for model, pk in self.touched:
                    self.revised[model].add(pk)
            self.done += 1
            if self.progress and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)

    # organizations -------------------------------------------------------------------------

    def organization(self, record):
        popolo_id = _text(record, "id", required=True)
        classification = _text(record, "classification")
        name = _text(record, "name", required=True)
        if classification != "party":
            self.organisations[popolo_id] = name
            return None
        short_name = ""
        for other in _list(record, "other_names"):
            if _text(other, "note") == "short name":
                short_name = _text(other, "name")
        colour = _text(record, "color") or "#777777"
        if not HEX_COLOUR.match(colour):
            raise RecordError(f"bad color {colour!r} (expected #RRGGBB)")
        values = {
            "name": name,
            "short_name": short_name,
            "colour": colour,
            "founding_date": parse_partial_date(record.get("founding_date"), label="founding_date"),
            "dissolution_date": parse_partial_date(
                record.get("dissolution_date"), label="dissolution_date"
            ),
            "description": _text(record, "description"),
            "wikidata_id": _wikidata(record),
        }
        values["country"] = _text(record, "country")
        values = _present(
            record,
            values,
            {"short_name": "other_names", "colour": "color", "wikidata_id": "identifiers"},
        )
        party = self.parties.get(popolo_id)
        if party is None:
            # A party entered by hand (no Popolo id yet) is adopted by its name.
            party = Party.objects.filter(name=name, popolo_id=None).first()
        outcome = "updated"
        if party is None:
            party, outcome = Party(popolo_id=popolo_id), "created"
        elif party.popolo_id != popolo_id:
            party.popolo_id = popolo_id
        elif not _changed(party, values):
            return "unchanged"
        _changed(party, values)
        _validate(party)
        if Party.objects.filter(name=name).exclude(pk=party.pk).exists():
            raise RecordError(f"another party is already called {name!r}")
        party.save()
        self.parties[popolo_id] = party
        self.touched.append((Party, party.pk))
        return outcome

    def post(self, record):
        popolo_id = _text(record, "id", required=True)
        self.posts[popolo_id] = {
            "label": _text(record, "label"),
            "organization_id": _text(record, "organization_id"),
        }

    # persons -------------------------------------------------------------------------------

    def person(self, record):
        popolo_id = _text(record, "id", required=True)
        values = {
            "name": _text(record, "name", required=True),
            "given_name": _text(record, "given_name"),
            "family_name": _text(record, "family_name"),
            "birth_date": parse_partial_date(record.get("birth_date"), label="birth_date"),
            "death_date": parse_partial_date(record.get("death_date"), label="death_date"),
            "biography": _text(record, "biography"),
            "image_url": _text(record, "image"),
            "wikidata_id": _wikidata(record),
        }
        values["sort_name"] = _text(record, "sort_name")
        values = _present(record, values, {"image_url": "image", "wikidata_id": "identifiers"})
        # Left empty, these are filled from the name when saved.
        for computed in ("family_name", "sort_name"):
            if not values.get(computed):
                values.pop(computed, None)
        other_names = [self._other_name(other) for other in _list(record, "other_names")]
        pk = self.people.get(popolo_id)
        if pk is None:
            politician, outcome = Politician(popolo_id=popolo_id), "created"
            politician.slug = self._archive_slug(record)
        else:
            politician, outcome = Politician.objects.get(pk=pk), "updated"
        changed = _changed(politician, values)
        _validate(politician)
        if changed or outcome == "created":
            politician.save()
            self.people[popolo_id] = politician.pk
        names_changed = self._sync_other_names(politician, other_names)
        if outcome == "updated" and not (changed or names_changed):
            return "unchanged"
        self.touched.append((Politician, politician.pk))
        return outcome

    def _archive_slug(self, record):
        """The slug of the archive page link, so an export → import keeps page addresses."""
        for link in _list(record, "links"):
            if link.get("note") == "archive page" and isinstance(link.get("url"), str):
                slug = urlparse(link["url"]).path.rstrip("/").rsplit("/", 1)[-1]
                if (
                    slug
                    and slug == slugify(slug)
                    and len(slug) <= 200
                    and not Politician.objects.filter(slug=slug).exists()
                ):
                    return slug
        return ""

    def _other_name(self, other):
        return {
            "name": _text(other, "name", required=True),
            "note": _text(other, "note"),
            "start_date": parse_partial_date(other.get("start_date"), label="start_date"),
            "end_date": parse_partial_date(other.get("end_date"), end=True, label="end_date"),
        }

    def _sync_other_names(self, politician, other_names):
        existing = {o.name: o for o in politician.other_names.all()}
        changed = False
        for values in other_names:
            other = existing.get(values["name"])
            if other is None:
                other = OtherName(politician=politician)
                existing[values["name"]] = other
            elif not _changed(other, values):
                continue
            _changed(other, values)
            _validate(other, exclude=("politician",))
            other.save()
            changed = True
        return changed

    # memberships ---------------------------------------------------------------------------

    def membership(self, record):
        person_id = _text(record, "person_id", required=True)
        politician_id = self.people.get(person_id)
        if politician_id is None:
            raise RecordError(f"unknown person_id {person_id!r}")
        start = parse_partial_date(record.get("start_date"), label="start_date")
        end = parse_partial_date(record.get("end_date"), end=True, label="end_date")
        post_id = _text(record, "post_id")
        if post_id:
            return self._role(record, politician_id, post_id, start, end)
        role = _text(record, "role") or "member"
        organization_id = _text(record, "organization_id", required=True)
        party = self.parties.get(organization_id)
        if party is None:
            if organization_id in self.organisations:
                raise RecordError(
                    f"organization {organization_id!r} is not a party, and the membership "
                    "has no post_id"
                )
            raise RecordError(f"unknown organization_id {organization_id!r}")
        if role != "member":
            raise RecordError(f"unknown role {role!r} (a party membership has role 'member')")
        membership = PartyMembership.objects.filter(
            politician_id=politician_id, party=party, start_date=start
        ).first()
        if membership is None:
            membership = PartyMembership(
                politician_id=politician_id, party=party, start_date=start, end_date=end
            )
            outcome = "created"
        elif membership.end_date == end:
            return "unchanged"
        else:
            membership.end_date, outcome = end, "updated"
        _validate(membership, exclude=("politician", "party"))
        membership.save()
        self.touched.append((Politician, politician_id))
        return outcome

    def _role(self, record, politician_id, post_id, start, end):
        post = self.posts.get(post_id)
        if post is None:
            raise RecordError(f"unknown post_id {post_id!r}")
        title = _text(record, "role") or post["label"]
        if not title:
            raise RecordError("the post has no label and the membership no role")
        organization_id = _text(record, "organization_id") or post["organization_id"]
        organisation = ""
        if organization_id:
            if organization_id in self.organisations:
                organisation = self.organisations[organization_id]
            elif organization_id in self.parties:
                organisation = self.parties[organization_id].name
            else:
                raise RecordError(f"unknown organization_id {organization_id!r}")
        role = Role.objects.filter(
            politician_id=politician_id, title=title, start_date=start
        ).first()
        values = {"end_date": end, "organisation": organisation}
        if role is None:
            role, outcome = (
                Role(politician_id=politician_id, title=title, start_date=start),
                "created",
            )
        elif not _changed(role, values):
            return "unchanged"
        else:
            outcome = "updated"
        _changed(role, values)
        _validate(role, exclude=("politician",))
        role.save()
        self.touched.append((Politician, politician_id))
        return outcome
