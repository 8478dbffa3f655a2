"""Popolo memberships: of a party, of a post, and seats in a legislature held for a party.

Seats (a membership with ``on_behalf_of_id``, ``legislative_period_id`` or ``area_id``, as
EveryPolitician and parlparse publish them) are collected while the file is read and written at
the end, merged into continuous spans (``popolo_seats``): one party membership per span of the
same party, one role ("Member of Parliament for Witney") per span in the same seat.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from articles.models import PartyMembership, Politician, Role

from .dates import date_precision, parse_partial_date
from .popolo_fields import set_changed, text_of, validate
from .popolo_seats import Span, end_before_the_next, merge_gap_days, merge_spans, seat_title
from .report import RecordError


@dataclass(frozen=True)
class Seat:
    politician_id: int
    party_id: int | None
    role: tuple  # (title, organisation, area id)
    span: Span


def refuse_overlap(membership):
    """RecordError if ``membership`` overlaps another of its politician's memberships (dates in
    the wrong order are left for ``validate`` to report)."""
    start, end = membership.start_date, membership.end_date
    if start and end and end < start:
        return
    clash = membership.clashes().first()
    if clash is None:
        return
    if clash.party_id == membership.party_id:
        reason = "overlaps another membership of the same party"
    else:
        reason = "overlaps a membership of another party (a politician is in one party at a time)"
    raise RecordError(
        reason,
        detail=f"{membership.party.name} {membership.period} and {clash.party.name} {clash.period}",
    )


DAY = dt.timedelta(days=1)


class Memberships:
    def membership(self, record):
        person_id = text_of(record, "person_id", required=True)
        politician_id = self.people.get(person_id)
        if politician_id is None:
            raise RecordError(f"unknown person_id {person_id!r}")
        start = parse_partial_date(record.get("start_date"), label="start_date")
        end = parse_partial_date(record.get("end_date"), end=True, label="end_date")
        self.precision = {
            "start_precision": date_precision(record.get("start_date")),
            "end_precision": date_precision(record.get("end_date")),
        }
        post_id = text_of(record, "post_id")
        if any(text_of(record, key) for key in ("on_behalf_of_id", "legislative_period_id")):
            return self._seat(record, politician_id, post_id, start, end)
        if text_of(record, "area_id"):
            return self._seat(record, politician_id, post_id, start, end)
        if post_id:
            return self._role(record, politician_id, post_id, start, end)
        role = text_of(record, "role") or "member"
        organization_id = text_of(record, "organization_id", required=True)
        party = self.parties.get(organization_id)
        if party is None:
            if organization_id in self.organisations:
                organisation = self.organisations[organization_id]
                # "Member" alone would clash with the same person's other memberships.
                title = "Member" if role == "member" else role[:1].upper() + role[1:]
                title = f"{title}, {organisation}"[:200]
                return self._write_role(politician_id, title, start, end, organisation, None)
            raise RecordError(f"unknown organization_id {organization_id!r}")
        if role != "member":
            raise RecordError(f"unknown role {role!r} (a party membership has role 'member')")
        return self._write_membership(politician_id, party, start, end)

    def _write_membership(self, politician_id, party, start, end):
        others = PartyMembership.objects.filter(politician_id=politician_id).exclude(party=party)
        if end is not None and others.filter(start_date=end).exclude(start_date=start).exists():
            # Ends on the day another party's membership begins: the day before, in the archive.
            end, self.precision["end_precision"] = end - DAY, "day"
        membership = PartyMembership.objects.filter(
            politician_id=politician_id, party=party, start_date=start
        ).first()
        if start is not None:
            for earlier in others.filter(end_date=start, start_date__lt=start):
                earlier.end_date, earlier.end_precision = start - DAY, "day"
                earlier.save()
        if membership is None:
            membership = PartyMembership(
                politician_id=politician_id, party=party, start_date=start, end_date=end
            )
            outcome = "created"
        elif not set_changed(membership, {"end_date": end, **self.precision}):
            return "unchanged"
        else:
            outcome = "updated"
        set_changed(membership, self.precision)
        refuse_overlap(membership)
        validate(membership, exclude=("politician", "party"))
        membership.save()
        self.touched.append((Politician, politician_id))
        return outcome

    def _organisation(self, organization_id):
        if not organization_id:
            return ""
        if organization_id in self.organisations:
            return self.organisations[organization_id]
        if organization_id in self.parties:
            return self.parties[organization_id].name
        raise RecordError(f"unknown organization_id {organization_id!r}")

    def _role(self, record, politician_id, post_id, start, end):
        post = self.posts.get(post_id)
        if post is None:
            raise RecordError(f"unknown post_id {post_id!r}")
        title = text_of(record, "role") or post["label"]
        if not title:
            raise RecordError("the post has no label and the membership no role")
        organization_id = text_of(record, "organization_id") or post["organization_id"]
        organisation = self._organisation(organization_id)
        area = self._area_of(text_of(record, "area_id") or post["area_id"])
        return self._write_role(politician_id, title, start, end, organisation, area)

    def _area_of(self, area_id):
        if not area_id:
            return None
        area = self.areas.get(area_id)
        if area is None:
            raise RecordError(f"unknown area_id {area_id!r}")
        return area

    def _write_role(self, politician_id, title, start, end, organisation, area):
        role = Role.objects.filter(
            politician_id=politician_id, title=title, organisation=organisation, start_date=start
        ).first()
        values = {"end_date": end, "area": area, **self.precision}
        if role is None:
            role, outcome = (
                Role(
                    politician_id=politician_id,
                    title=title,
                    organisation=organisation,
                    start_date=start,
                ),
                "created",
            )
        elif not set_changed(role, values):
            return "unchanged"
        else:
            outcome = "updated"
        set_changed(role, values)
        validate(role, exclude=("politician",))
        role.save()
        self.touched.append((Politician, politician_id))
        return outcome

    # seats ---------------------------------------------------------------------------------

    def _seat(self, record, politician_id, post_id, start, end):
        party = None
        if on_behalf_of_id := text_of(record, "on_behalf_of_id"):
            party = self.parties.get(on_behalf_of_id)
            if party is None and on_behalf_of_id in self.organisations:
                raise RecordError(
                    f"on_behalf_of_id {on_behalf_of_id!r} is an organization whose "
                    "classification is not 'party'"
                )
            if party is None:
                raise RecordError(
                    f"unknown on_behalf_of_id {on_behalf_of_id!r}: no organization in the file "
                    "or the archive has that id"
                )
        precision = dict(self.precision)
        if period := text_of(record, "legislative_period_id"):
            if period not in self.events:
                raise RecordError(f"unknown legislative_period_id {period!r} (not in events)")
            term_start, term_end, term_precision = self.events[period]
            if start is None:
                start, precision["start_precision"] = term_start, term_precision["start_precision"]
            if end is None:
                end, precision["end_precision"] = term_end, term_precision["end_precision"]
        post = {}
        if post_id:
            post = self.posts.get(post_id)
            if post is None:
                raise RecordError(f"unknown post_id {post_id!r}")
        area = self._area_of(text_of(record, "area_id") or post.get("area_id", ""))
        organisation = self._organisation(
            text_of(record, "organization_id") or post.get("organization_id", "")
        )
        title = post.get("label", "")
        if not title:
            role = text_of(record, "role")
            base = post.get("role") or (role if role not in ("", "member") else seat_title())
            title = f"{base} for {area.name}" if area else base
        if start and end and end < start:
            raise RecordError("the end date may not be before the start date")
        self.seats.append(
            Seat(
                politician_id,
                party.pk if party else None,
                (title[:200], organisation, area),
                Span(
                    start,
                    end,
                    self.where,
                    precision["start_precision"],
                    precision["end_precision"],
                ),
            )
        )
        return None

    def _write_seats(self):
        """Party memberships and roles from the seats, each continuous span written once."""
        gap = merge_gap_days()
        by_party, by_role, spans_of = defaultdict(list), defaultdict(list), defaultdict(list)
        for seat in self.seats:
            if seat.party_id:
                by_party[(seat.politician_id, seat.party_id)].append(seat.span)
                spans_of[seat.politician_id].append((seat.party_id, seat.span))
            by_role[(seat.politician_id, *seat.role)].append(seat.span)
        parties = {party.pk: party for party in self.parties.values()}
        self.written = {PartyMembership: set(), Role: set()}

        memberships = defaultdict(list)  # politician id -> [(party id, Merged)]
        for (politician_id, party_id), spans in by_party.items():
            others = [s for p, s in spans_of[politician_id] if p != party_id]
            for merged in merge_spans(spans, gap_days=gap, interrupted_by=others):
                memberships[politician_id].append((party_id, merged))
        for politician_id, merged_spans in memberships.items():
            end_before_the_next(merged_spans)
            for party_id, merged in merged_spans:
                self._attempt(
                    merged.records[0],
                    None,
                    lambda p=politician_id, m=merged, party=parties[party_id]: self._write_span(
                        PartyMembership.objects.filter(politician_id=p, party=party),
                        m,
                        lambda: PartyMembership(politician_id=p, party=party),
                        {},
                        f"membership of {party.name}",
                    ),
                )
        for (politician_id, title, organisation, area), spans in by_role.items():
            for merged in merge_spans(spans, gap_days=gap):
                self._attempt(
                    merged.records[0],
                    None,
                    lambda p=politician_id, m=merged, t=title, o=organisation, a=area: (
                        self._write_span(
                            Role.objects.filter(politician_id=p, title=t, organisation=o),
                            m,
                            lambda: Role(politician_id=p, title=t, organisation=o),
                            {"area": a},
                            f"post “{t}”",
                        )
                    ),
                )

    def _write_span(self, rows, merged, new, values, noun):
        """Write one merged span: onto the row that starts the same day (its end as in the
        file), else joined with an earlier import's row it overlaps or meets (the same seat from
        another file), else as a new row."""
        row = rows.filter(start_date=merged.start).first()
        start, end = merged.start, merged.end
        if row is None:
            day = dt.timedelta(days=1)
            near = list(
                rows.exclude(pk__in=self.written[rows.model])
                .overlapping(start and start - day, end and end + day)
                .order_by("pk")[:2]
            )
            if len(near) > 1:
                raise RecordError(f"the {noun} overlaps several already in the archive")
            if near:
                row = near[0]
                start = None if None in (start, row.start_date) else min(start, row.start_date)
                end = None if None in (end, row.end_date) else max(end, row.end_date)
        values = {
            **values,
            "start_precision": merged.start_precision
            if start == merged.start
            else row.start_precision,
            "end_precision": merged.end_precision if end == merged.end else row.end_precision,
        }
        outcome = "updated"
        if row is None:
            row, outcome = new(), "created"
        elif not set_changed(row, {"start_date": start, "end_date": end, **values}):
            self.written[rows.model].add(row.pk)
            return "unchanged"
        set_changed(row, {"start_date": start, "end_date": end, **values})
        if isinstance(row, PartyMembership):
            refuse_overlap(row)
        validate(row, exclude=("politician", "party"))
        row.save()
        self.written[rows.model].add(row.pk)
        self.touched.append((Politician, row.politician_id))
        return outcome
