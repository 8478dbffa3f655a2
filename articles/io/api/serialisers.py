"""Model instances as the plain dicts described in ``schemas.py``."""

from articles.derived import parties

from ..exports.common import summary


def party_ref(request, party):
    if party is None:
        return None
    return {
        "slug": party.slug,
        "name": party.name,
        "short_name": party.short_name,
        "colour": party.colour,
        "url": request.build_absolute_uri(party.get_absolute_url()),
    }


def politician_ref(request, politician):
    return {
        "slug": politician.slug,
        "name": politician.name,
        "url": request.build_absolute_uri(politician.get_absolute_url()),
    }


def article(request, item):
    """An article fetched with ``with_export_relations``."""
    return {
        "id": item.pk,
        "headline": item.headline,
        "slug": item.slug,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "original_url": item.url,
        "published_at": item.published_at,
        "date": item.published_on,
        "source": {"slug": item.source.slug, "name": item.source.name},
        "byline": item.byline,
        "standfirst": item.standfirst,
        "summary": summary(item),
        "topics": [{"slug": t.slug, "name": t.name} for t in item.topics.all()],
        "mentions": [
            {
                "politician": politician_ref(request, m.politician),
                "role": m.role,
                "party": party_ref(request, m.party),
            }
            for m in item.public_mentions
        ],
    }


def dated(item):
    return {"start_date": item.start_date, "end_date": item.end_date}


def party(request, item):
    return {
        **party_ref(request, item),
        "country": item.country,
        "founding_date": item.founding_date,
        "dissolution_date": item.dissolution_date,
        "wikidata_id": item.wikidata_id,
    }


def politician(request, item, on):
    """A politician with ``memberships`` prefetched (with parties)."""
    deciding = parties.deciding(item.memberships.all(), on)
    current = deciding.party if deciding else None
    return {
        "slug": item.slug,
        "name": item.name,
        "sort_name": item.sort_name,
        "url": request.build_absolute_uri(item.get_absolute_url()),
        "current_party": party_ref(request, current),
    }
