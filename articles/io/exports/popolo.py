"""The archive's people and parties as one Popolo 1.0.1 document (mapping: docs/popolo.md)."""

import hashlib
from collections import defaultdict

from django.conf import settings
from django.utils.text import slugify

from articles.models import Area, Party, PartyMembership, Politician, Role

DEFAULT_BASE_URL = "http://localhost:8000"


def _date(value, precision="day"):
    """``YYYY-MM-DD``, or as imported: ``YYYY`` or ``YYYY-MM`` for a partial date."""
    if not value:
        return None
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _compact(pairs):
    """A dict of ``pairs`` in order, leaving out empty values (Popolo omits unknown fields)."""
    return {key: value for key, value in pairs if value not in (None, "", [], {})}


def _identifiers(record, wikidata_id=""):
    """Every stored identifier, and the Wikidata id when it is not among them."""
    pairs = {(i.scheme, i.identifier) for i in record.identifiers.all()}
    if wikidata_id and not any(s.lower() == "wikidata" for s, _ in pairs):
        pairs.add(("wikidata", wikidata_id))
    return [{"scheme": scheme, "identifier": identifier} for scheme, identifier in sorted(pairs)]


def _membership_id(*parts):
    """A membership id that depends only on what identifies it, so it survives a round trip."""
    digest = hashlib.sha1("|".join(p or "" for p in parts).encode()).hexdigest()
    return f"membership/{digest[:16]}"


def _slug_ids(prefix, keys, label):
    """``prefix/<slug>`` for each key; keys whose slugs clash get ``-2``, ``-3`` … in key order."""
    by_slug = defaultdict(list)
    for key in sorted(keys):
        by_slug[slugify(label(key)) or "item"].append(key)
    ids = {}
    for slug, group in by_slug.items():
        for n, key in enumerate(group, start=1):
            ids[key] = f"{prefix}/{slug}" if n == 1 else f"{prefix}/{slug}-{n}"
    return ids


def person_id(politician):
    return politician.popolo_id or f"person/{politician.slug}"


def party_id(party):
    return party.popolo_id or f"party/{party.slug}"


def area_id(area):
    return area.popolo_id or f"area/{area.slug}"


def _area(area):
    return _compact(
        [
            ("id", area_id(area)),
            ("name", area.name),
            ("classification", area.classification),
            ("identifiers", _identifiers(area)),
        ]
    )


def _person(politician, base_url):
    other_names = [
        _compact(
            [
                ("name", other.name),
                ("note", other.note),
                ("lang", other.lang),
                ("start_date", _date(other.start_date)),
                ("end_date", _date(other.end_date)),
            ]
        )
        for other in sorted(politician.other_names.all(), key=lambda o: o.name)
    ]
    return _compact(
        [
            ("id", person_id(politician)),
            ("name", politician.name),
            ("given_name", politician.given_name),
            ("family_name", politician.family_name),
            ("sort_name", politician.sort_name),
            ("birth_date", _date(politician.birth_date, politician.birth_precision)),
            ("death_date", _date(politician.death_date, politician.death_precision)),
            ("biography", politician.biography),
            ("image", politician.image_url),
            ("other_names", other_names),
            ("identifiers", _identifiers(politician, politician.wikidata_id)),
            (
                "links",
                [{"url": base_url + politician.get_absolute_url(), "note": "archive page"}],
            ),
        ]
    )


def _party(party):
    short = [{"name": party.short_name, "note": "short name"}] if party.short_name else []
    organization = _compact(
        [
            ("id", party_id(party)),
            ("classification", "party"),
            ("name", party.name),
            ("other_names", short),
            ("founding_date", _date(party.founding_date)),
            ("dissolution_date", _date(party.dissolution_date)),
            ("description", party.description),
            ("identifiers", _identifiers(party, party.wikidata_id)),
            ("color", party.colour),
        ]
    )
    # Written even when empty: an importer would otherwise fill in its default country.
    organization["country"] = party.country
    return organization


def build_popolo(*, base_url=None):
    """The whole archive of people and parties as a Popolo document (a plain, ordered dict).

    ``base_url`` (scheme and host) makes the persons' archive links absolute.
    """
    base_url = (base_url or getattr(settings, "SITE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    politicians = list(Politician.objects.prefetch_related("other_names", "identifiers"))
    parties = list(Party.objects.prefetch_related("identifiers"))
    areas = list(Area.objects.prefetch_related("identifiers"))
    memberships = list(PartyMembership.objects.select_related("politician", "party"))
    roles = list(Role.objects.select_related("politician", "area"))

    organisation_ids = _slug_ids(
        "organisation", {r.organisation for r in roles if r.organisation}, label=str
    )
    post_ids = _slug_ids(
        "post",
        {(r.title, r.organisation, area_id(r.area) if r.area else "") for r in roles},
        label=lambda key: key[0],
    )

    organizations = [_party(party) for party in parties]
    organizations += [
        {"id": org_id, "classification": "organisation", "name": name}
        for name, org_id in organisation_ids.items()
    ]
    posts = [
        _compact(
            [
                ("id", post_id),
                ("label", title),
                ("organization_id", organisation_ids.get(organisation)),
                ("area_id", area),
            ]
        )
        for (title, organisation, area), post_id in post_ids.items()
    ]

    rows = []
    for membership in memberships:
        person, org = person_id(membership.politician), party_id(membership.party)
        start = _date(membership.start_date, membership.start_precision)
        rows.append(
            _compact(
                [
                    ("id", _membership_id(person, org, "member", start)),
                    ("person_id", person),
                    ("organization_id", org),
                    ("role", "member"),
                    ("start_date", start),
                    ("end_date", _date(membership.end_date, membership.end_precision)),
                ]
            )
        )
    for role in roles:
        area = area_id(role.area) if role.area else ""
        person = person_id(role.politician)
        post = post_ids[(role.title, role.organisation, area)]
        start = _date(role.start_date, role.start_precision)
        rows.append(
            _compact(
                [
                    ("id", _membership_id(person, post, role.title, start)),
                    ("person_id", person),
                    ("organization_id", organisation_ids.get(role.organisation)),
                    ("post_id", post),
                    ("area_id", area),
                    ("role", role.title),
                    ("start_date", start),
                    ("end_date", _date(role.end_date, role.end_precision)),
                ]
            )
        )

    def by_id(items):
        return sorted(items, key=lambda item: item["id"])

    return {
        "persons": by_id(_person(p, base_url) for p in politicians),
        "organizations": by_id(organizations),
        "memberships": by_id(rows),
        "posts": by_id(posts),
        "areas": by_id(_area(area) for area in areas),
    }
