"""Import people, parties, party memberships and posts from a Popolo JSON document.

The mapping is the one in ``docs/popolo.md`` (shared with the export). Persons and parties are
matched on their identifiers, then their Popolo ``id`` (``popolo_identity``); areas on their id;
memberships on (person, party, start date) and posts held on (person, title, start date), so
importing the same file twice changes nothing. Seats in a legislature with the party they were
held for (EveryPolitician, parlparse) become party memberships and roles (``popolo_seats``). Each
party and politician the import creates or changes gets a revision in its history ("Imported from
FILE").
"""

from pathlib import Path
from urllib.parse import urlparse

from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify

from articles.backends import backend
from articles.formats import is_hex_colour
from articles.models import (
    Area,
    AreaIdentifier,
    OtherName,
    Party,
    PartyIdentifier,
    PartyMembership,
    Politician,
    PoliticianIdentifier,
    Role,
)
from articles.revisions import record_revisions

from .dates import date_precision, parse_partial_date
from .files import FileProblem, read_json
from .popolo_fields import (
    identifier_pairs,
    objects_of,
    present,
    set_changed,
    text_of,
    validate,
    wikidata_of,
)
from .popolo_identity import IdentifierIndex
from .popolo_memberships import Memberships
from .report import ImportReport, RecordError

PROGRESS_EVERY = 1000
PARLPARSE_PERSON = "uk.org.publicwhip/person/"
ANALYZE_AFTER = 1000  # rows written; then the planner gets fresh statistics


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
    if report.created + report.updated >= ANALYZE_AFTER and not report.rolled_back:
        backend().analyze(
            Politician, Party, PartyMembership, Role, Area, OtherName, PoliticianIdentifier
        )
    return report


class _PopoloImport(Memberships):
    def __init__(self, document, file, report, progress):
        self.document = document
        self.file = file
        self.report = report
        self.progress = progress
        self.done = 0
        self.parties = {}  # Popolo id -> Party
        self.organisations = {}  # Popolo id -> name (non-party organizations)
        self.posts = {}  # Popolo id -> {"label", "organization_id", "area_id", "role"}
        self.people = {}  # Popolo id -> politician id
        self.areas = {}  # Popolo id -> Area
        self.events = {}  # Popolo id -> (start, end)
        self.seats = []  # (politician id, party or None, role key, Span), written at the end
        self.revised = {Party: set(), Politician: set()}  # pks of the records to record
        self.touched = []  # (model, pk) changed by the record being imported
        self.first_of = {"organizations": {}, "persons": {}}  # Popolo id -> where it first is

    def run(self):
        sections = {}
        for key in ("organizations", "areas", "events", "posts", "persons", "memberships"):
            value = self.document.get(key, [])
            if not isinstance(value, list):
                self.report.error(self.file, key, f"{key} must be a list")
                value = []
            sections[key] = value
        self.parties = {p.popolo_id: p for p in Party.objects.exclude(popolo_id=None)}
        self.stored_parties = dict(self.parties)
        self.people = dict(
            Politician.objects.exclude(popolo_id=None).values_list("popolo_id", "id")
        )
        self.stored_people = dict(self.people)
        self.areas = {a.popolo_id: a for a in Area.objects.exclude(popolo_id=None)}
        self.party_ids = IdentifierIndex(PartyIdentifier, "party")
        self.person_ids = IdentifierIndex(PoliticianIdentifier, "politician")
        self.area_ids = IdentifierIndex(AreaIdentifier, "area")
        self._each("organizations", sections, self.organization)
        self._each("areas", sections, self.area)
        self._each("events", sections, self.event, counted=False)
        self._each("posts", sections, self.post)
        self._each("persons", sections, self.person)
        self._each("memberships", sections, self.membership)
        self._write_seats()
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
            self.where = f"{key}[{index}]"
            if isinstance(record, dict) and "redirect" in record:
                pass  # parlparse: an id merged into another record, which has all it held
            elif isinstance(record, dict):
                self._attempt(self.where, record.get("id"), lambda r=record: handler(r), counted)
            else:
                self.report.error(self.file, self.where, "expected an object")
            self.done += 1
            if self.progress and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)

    def _attempt(self, where, label, write, counted=True):
        """Run ``write`` in its own savepoint; a failure is reported at ``where``, not raised."""
        self.touched = []
        try:
            with transaction.atomic():
                outcome = write()
        except RecordError as error:
            self.report.error(self.file, where, error.reason, label=label, detail=error.detail)
        except DatabaseError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            self.report.error(self.file, where, f"rejected by the database: {first_line}")
        else:
            if counted and outcome:
                self.report.count(outcome)
            for model, pk in self.touched:
                self.revised[model].add(pk)

    # organizations -------------------------------------------------------------------------

    def _first(self, section, popolo_id):
        """Refuse a record whose id an earlier record of the same section has: the first is
        kept, and the two are never merged."""
        first = self.first_of[section].setdefault(popolo_id, self.where)
        if first != self.where:
            raise RecordError(
                f"duplicate id in {section} (the first record with it is kept, this one is "
                "not imported)",
                detail=f"the first is {first}",
            )

    def organization(self, record):
        popolo_id = text_of(record, "id", required=True)
        self._first("organizations", popolo_id)
        classification = text_of(record, "classification")
        name = text_of(record, "name", required=True)
        if classification != "party":
            self.organisations[popolo_id] = name
            return None
        pairs = identifier_pairs(record)
        short_name = ""
        for other in objects_of(record, "other_names"):
            if text_of(other, "note") == "short name":
                short_name = text_of(other, "name")
        colour = text_of(record, "color") or "#777777"
        if not is_hex_colour(colour):
            raise RecordError(f"bad color {colour!r} (expected #RRGGBB)")
        values = {
            "name": name,
            "short_name": short_name,
            "colour": colour,
            "founding_date": parse_partial_date(record.get("founding_date"), label="founding_date"),
            "dissolution_date": parse_partial_date(
                record.get("dissolution_date"), label="dissolution_date"
            ),
            "description": text_of(record, "description"),
            "wikidata_id": wikidata_of(pairs),
        }
        values["country"] = text_of(record, "country")
        values = present(
            record,
            values,
            {"short_name": "other_names", "colour": "color", "wikidata_id": "identifiers"},
        )
        party = self._find_party(popolo_id, name, pairs)
        outcome = "updated"
        if party is None:
            taken = popolo_id in self.stored_parties
            party, outcome = Party(popolo_id=None if taken else popolo_id), "created"
        elif party.popolo_id is None and popolo_id not in self.stored_parties:
            party.popolo_id = popolo_id
        elif not set_changed(party, values) and not self.party_ids.keep(party.pk, pairs):
            self.parties[popolo_id] = party
            return "unchanged"
        set_changed(party, values)
        validate(party)
        party.save()
        self.party_ids.keep(party.pk, pairs)
        self.parties[popolo_id] = party
        self.touched.append((Party, party.pk))
        return outcome

    def _find_party(self, popolo_id, name, pairs):
        """The archive's party for this record: by identifiers, then by id, then (entered by
        hand, without a Popolo id or identifiers) by its name."""
        pk = self.party_ids.find(pairs, noun="the party", describe=self._party_name)
        if pk is not None:
            return Party.objects.get(pk=pk)
        party = self.stored_parties.get(popolo_id)
        if party is not None and self.party_ids.compatible(party.pk, pairs):
            return Party.objects.get(pk=party.pk)
        if party is not None:
            return None
        by_name = list(
            Party.objects.filter(name=name, popolo_id=None, identifiers__isnull=True)[:2]
        )
        return by_name[0] if len(by_name) == 1 else None

    def _party_name(self, pk):
        party = Party.objects.filter(pk=pk).first()
        return repr(party.name) if party else f"#{pk}"

    def area(self, record):
        popolo_id = text_of(record, "id", required=True)
        return self._area(
            popolo_id,
            {
                "name": text_of(record, "name", required=True),
                "classification": text_of(record, "classification") or text_of(record, "type"),
            },
            identifier_pairs(record),
        )

    def _area(self, popolo_id, values, pairs):
        pk = self.area_ids.find(pairs, noun="the area", describe=lambda pk: f"#{pk}")
        area = Area.objects.get(pk=pk) if pk is not None else self.areas.get(popolo_id)
        outcome = "updated"
        if area is None:
            area, outcome = Area(popolo_id=popolo_id), "created"
        elif not set_changed(area, values):
            self.areas[popolo_id] = area
            return "updated" if self.area_ids.keep(area.pk, pairs) else "unchanged"
        set_changed(area, values)
        validate(area)
        area.save()
        self.area_ids.keep(area.pk, pairs)
        self.areas[popolo_id] = area
        return outcome

    def event(self, record):
        """A legislative period (a term): its dates are the dates of seats that have none."""
        popolo_id = text_of(record, "id", required=True)
        start = parse_partial_date(record.get("start_date"), label="start_date")
        end = parse_partial_date(record.get("end_date"), end=True, label="end_date")
        if start and end and end < start:
            raise RecordError("the end date may not be before the start date")
        precision = {
            "start_precision": date_precision(record.get("start_date")),
            "end_precision": date_precision(record.get("end_date")),
        }
        self.events[popolo_id] = (start, end, precision)

    def post(self, record):
        """A post (e.g. a seat); an ``area`` inside it (parlparse) becomes an Area."""
        popolo_id = text_of(record, "id", required=True)
        post = {
            "label": text_of(record, "label"),
            "role": text_of(record, "role"),
            "organization_id": text_of(record, "organization_id"),
            "area_id": text_of(record, "area_id"),
        }
        outcome = None
        area = record.get("area")
        if area is not None:
            if not isinstance(area, dict):
                raise RecordError("area must be an object")
            # parlparse's areas have no id of their own; the post's id is the constituency's.
            post["area_id"] = text_of(area, "id") or popolo_id
            outcome = self._area(
                post["area_id"],
                {
                    "name": text_of(area, "name", required=True),
                    "classification": text_of(area, "classification") or "constituency",
                },
                identifier_pairs(area),
            )
        if post["area_id"] and post["area_id"] not in self.areas:
            raise RecordError(f"unknown area_id {post['area_id']!r}")
        self.posts[popolo_id] = post
        return outcome

    # persons -------------------------------------------------------------------------------

    def person(self, record):
        popolo_id = text_of(record, "id", required=True)
        self._first("persons", popolo_id)
        pairs = identifier_pairs(record)
        if popolo_id.startswith(PARLPARSE_PERSON) and ("parlparse", popolo_id) not in pairs:
            pairs.append(("parlparse", popolo_id))  # kept when matched to another file's person
        main = self._main_name(record)
        values = {
            "name": text_of(record, "name") or main.get("name", ""),
            "given_name": text_of(record, "given_name") or main.get("given_name", ""),
            "family_name": text_of(record, "family_name") or main.get("family_name", ""),
            "birth_date": parse_partial_date(record.get("birth_date"), label="birth_date"),
            "death_date": parse_partial_date(record.get("death_date"), label="death_date"),
            "birth_precision": date_precision(record.get("birth_date")),
            "death_precision": date_precision(record.get("death_date")),
            "biography": text_of(record, "biography"),
            "image_url": text_of(record, "image"),
            "wikidata_id": wikidata_of(pairs),
        }
        if not values["name"]:
            raise RecordError("missing name (and no other_names entry with note 'Main')")
        values["sort_name"] = text_of(record, "sort_name")
        keys = {
            "image_url": "image",
            "wikidata_id": "identifiers",
            "birth_precision": "birth_date",
            "death_precision": "death_date",
        }
        if main:
            keys.update(name="other_names", given_name="other_names", family_name="other_names")
        values = present(record, values, keys)
        # Left empty, these are filled from the name when saved.
        for computed in ("family_name", "sort_name"):
            if not values.get(computed):
                values.pop(computed, None)
        other_names = self._other_names(record, values.get("name", ""))
        pk = self._find_person(popolo_id, pairs)
        if pk is None:
            taken = popolo_id in self.stored_people
            politician, outcome = Politician(popolo_id=None if taken else popolo_id), "created"
            politician.slug = self._archive_slug(record)
        else:
            politician, outcome = Politician.objects.get(pk=pk), "updated"
        changed = set_changed(politician, values)
        validate(politician)
        if changed or outcome == "created":
            politician.save()
        self.people[popolo_id] = politician.pk
        names_changed = self._sync_other_names(politician, other_names)
        ids_changed = self.person_ids.keep(politician.pk, pairs)
        if outcome == "updated" and not (changed or names_changed or ids_changed):
            return "unchanged"
        self.touched.append((Politician, politician.pk))
        return outcome

    def _find_person(self, popolo_id, pairs):
        pk = self.person_ids.find(pairs, noun="the politician", describe=self._person_name)
        if pk is not None:
            return pk
        pk = self.stored_people.get(popolo_id)
        if pk is not None and self.person_ids.compatible(pk, pairs):
            return pk
        return None

    def _person_name(self, pk):
        politician = Politician.objects.filter(pk=pk).first()
        return repr(politician.name) if politician else f"#{pk}"

    def _main_name(self, record):
        """parlparse persons have no ``name``: it is the other name noted "Main"."""
        for other in objects_of(record, "other_names"):
            if text_of(other, "note") == "Main" and not text_of(other, "end_date"):
                given, family = text_of(other, "given_name"), text_of(other, "family_name")
                name = text_of(other, "name") or " ".join(p for p in (given, family) if p)
                if name:
                    return {"name": name, "given_name": given, "family_name": family}
        return {}

    def _archive_slug(self, record):
        """The slug of the archive page link, so an export → import keeps page addresses."""
        for link in objects_of(record, "links"):
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

    def _other_names(self, record, own_name):
        """The other names, without those that repeat the person's own name, first one kept."""
        names = {}
        for other in objects_of(record, "other_names"):
            name = text_of(other, "name")
            if not name:
                given, family = text_of(other, "given_name"), text_of(other, "family_name")
                name = " ".join(p for p in (given, family) if p)
            if not name:
                raise RecordError("missing name")
            if name.casefold() == own_name.casefold() or name in names:
                continue
            names[name] = {
                "name": name,
                "note": text_of(other, "note"),
                "lang": text_of(other, "lang"),
                "start_date": parse_partial_date(other.get("start_date"), label="start_date"),
                "end_date": parse_partial_date(other.get("end_date"), end=True, label="end_date"),
            }
        return list(names.values())

    def _sync_other_names(self, politician, other_names):
        existing = {o.name: o for o in politician.other_names.all()}
        changed = False
        for values in other_names:
            other = existing.get(values["name"])
            if other is None:
                other = OtherName(politician=politician)
                existing[values["name"]] = other
            elif not set_changed(other, values):
                continue
            set_changed(other, values)
            validate(other, exclude=("politician",))
            other.save()
            changed = True
        return changed
