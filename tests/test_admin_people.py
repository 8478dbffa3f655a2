"""The admin's politician and party pages: memberships, roles and their date rules."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from articles.derived.parties import party_of
from articles.models import PartyMembership, Politician, Role

from .admin_forms import inline_rows
from .factories import MembershipFactory, MentionFactory, PartyFactory, PoliticianFactory

pytestmark = pytest.mark.django_db


def politician_data(politician=None, *, memberships=(), roles=(), initial=None):
    """The politician change form; ``initial`` counts existing rows per inline."""
    initial = initial or {}
    return {
        "name": politician.name if politician else "Douglas Carswell",
        "slug": politician.slug if politician else "douglas-carswell",
        "given_name": "",
        "family_name": "",
        "sort_name": "",
        "birth_date": "",
        "death_date": "",
        "biography": "",
        "image_url": "",
        "wikidata_id": "",
        "popolo_id": "",
        **inline_rows("other_names", initial=initial.get("other_names", 0)),
        **inline_rows("memberships", memberships, initial.get("memberships", 0)),
        **inline_rows("roles", roles, initial.get("roles", 0)),
    }


def membership_row(party, start, end="", pk=None, politician=None):
    row = {"party": party.pk, "start_date": start, "end_date": end}
    if pk:
        row.update(id=pk, politician=politician.pk)
    return row


def inline_errors(response, prefix):
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix
    )
    return [str(e) for form in formset.forms for e in form.non_field_errors()] + [
        str(e) for form in formset.forms for errors in form.errors.values() for e in errors
    ]


def test_add_politician_with_memberships_and_roles(editor_client):
    con, ukip = PartyFactory(name="Conservative"), PartyFactory(name="UKIP")
    data = politician_data(
        memberships=[
            membership_row(con, "2005-05-05", "2014-08-27"),
            membership_row(ukip, "2014-08-28", "2017-03-25"),
        ],
        roles=[{"title": "MP for Clacton", "organisation": "", "start_date": "2005-05-05"}],
    )
    response = editor_client.post(reverse("admin:articles_politician_add"), data)
    assert response.status_code == 302
    carswell = Politician.objects.get(slug="douglas-carswell")
    assert party_of(carswell, dt.date(2016, 6, 23)) == ukip
    assert carswell.roles.get().title == "MP for Clacton"


def test_overlapping_memberships_in_one_submit_are_a_form_error(editor_client):
    party = PartyFactory()
    data = politician_data(
        memberships=[
            membership_row(party, "2000-01-01", "2010-12-31"),
            membership_row(party, "2010-06-01"),
        ]
    )
    response = editor_client.post(reverse("admin:articles_politician_add"), data)
    assert response.status_code == 200
    assert any("overlaps" in e for e in inline_errors(response, "memberships"))
    assert not Politician.objects.exists()


def test_membership_overlapping_one_in_the_database_is_a_form_error(editor_client):
    party = PartyFactory()
    existing = MembershipFactory(party=party, start_date=dt.date(2000, 1, 1), end_date=None)
    politician = existing.politician
    data = politician_data(
        politician,
        memberships=[
            membership_row(party, "2000-01-01", "", existing.pk, politician),
            membership_row(party, "2015-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert any("overlaps" in e for e in inline_errors(response, "memberships"))
    assert politician.memberships.count() == 1


def test_closing_a_membership_and_rejoining_in_one_submit_is_allowed(editor_client):
    party = PartyFactory()
    existing = MembershipFactory(party=party, start_date=dt.date(2000, 1, 1), end_date=None)
    politician = existing.politician
    data = politician_data(
        politician,
        memberships=[
            membership_row(party, "2000-01-01", "2010-12-31", existing.pk, politician),
            membership_row(party, "2015-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    assert editor_client.post(url, data).status_code == 302
    assert list(politician.memberships.values_list("start_date", "end_date")) == [
        (dt.date(2000, 1, 1), dt.date(2010, 12, 31)),
        (dt.date(2015, 1, 1), None),
    ]


@pytest.mark.parametrize("direction", ["later", "earlier"])
def test_moving_the_boundary_between_two_memberships_saves(editor_client, direction):
    """Each row alone would overlap the other's old dates; the whole submit does not."""
    party = PartyFactory()
    first = MembershipFactory(
        party=party, start_date=dt.date(2000, 1, 1), end_date=dt.date(2010, 12, 31)
    )
    politician = first.politician
    second = MembershipFactory(politician=politician, party=party, start_date=dt.date(2011, 1, 1))
    boundary = {"later": ("2012-12-31", "2013-01-01"), "earlier": ("2005-12-31", "2006-01-01")}
    end, start = boundary[direction]
    data = politician_data(
        politician,
        memberships=[
            membership_row(party, "2000-01-01", end, first.pk, politician),
            membership_row(party, start, "", second.pk, politician),
        ],
        initial={"memberships": 2},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    assert editor_client.post(url, data).status_code == 302
    assert list(politician.memberships.order_by("start_date").values_list("pk", "end_date")) == [
        (first.pk, dt.date.fromisoformat(end)),
        (second.pk, None),
    ]


def test_membership_change_moves_the_party_of_mentions(editor_client):
    labour, change_uk = PartyFactory(name="Labour"), PartyFactory(name="Change UK")
    membership = MembershipFactory(party=labour, start_date=dt.date(2000, 1, 1))
    politician = membership.politician
    mention = MentionFactory(politician=politician)  # 28 June 2016
    data = politician_data(
        politician,
        memberships=[
            membership_row(labour, "2000-01-01", "2015-12-31", membership.pk, politician),
            membership_row(change_uk, "2016-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    assert editor_client.post(url, data).status_code == 302
    mention.refresh_from_db()
    assert mention.party == change_uk


def test_deleting_a_membership_row_with_others_changed(editor_client):
    party = PartyFactory()
    first = MembershipFactory(party=party, start_date=dt.date(2000, 1, 1), end_date=None)
    politician = first.politician
    data = politician_data(
        politician,
        memberships=[
            {**membership_row(party, "2000-01-01", "", first.pk, politician), "DELETE": "on"},
            membership_row(party, "2001-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    assert editor_client.post(url, data).status_code == 302
    assert list(politician.memberships.values_list("start_date", flat=True)) == [
        dt.date(2001, 1, 1)
    ]


def test_end_before_start_is_a_form_error(editor_client):
    data = politician_data(memberships=[membership_row(PartyFactory(), "2010-01-01", "2009-01-01")])
    response = editor_client.post(reverse("admin:articles_politician_add"), data)
    assert response.status_code == 200
    assert any("before the start" in e for e in inline_errors(response, "memberships"))


def test_overlapping_roles_are_a_form_error(editor_client):
    role = {"title": "Prime Minister", "organisation": "", "end_date": ""}
    data = politician_data(
        roles=[dict(role, start_date="2010-05-11"), dict(role, start_date="2015-05-08")]
    )
    response = editor_client.post(reverse("admin:articles_politician_add"), data)
    assert response.status_code == 200
    assert any("overlapping" in e for e in inline_errors(response, "roles"))
    assert not Role.objects.exists()


def test_standalone_membership_overlap_is_a_form_error(editor_client):
    existing = MembershipFactory(start_date=dt.date(2000, 1, 1))
    data = {
        "politician": existing.politician.pk,
        "party": existing.party.pk,
        "start_date": "2005-01-01",
        "end_date": "",
    }
    response = editor_client.post(reverse("admin:articles_partymembership_add"), data)
    assert response.status_code == 200
    assert "overlaps" in str(response.context["adminform"].form.non_field_errors())
    assert PartyMembership.objects.count() == 1


def test_politician_page_lists_inlines_by_start_date(editor_client):
    membership = MembershipFactory(start_date=dt.date(2015, 1, 1))
    politician = membership.politician
    MembershipFactory(
        politician=politician, start_date=dt.date(1990, 1, 1), end_date=dt.date(2014, 12, 31)
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    response = editor_client.get(url)
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "memberships"
    )
    assert [f.instance.start_date.year for f in formset.initial_forms] == [1990, 2015]


def test_politician_search_covers_other_names(editor_client):
    politician = PoliticianFactory(name="Boris Johnson")
    politician.other_names.create(name="BoJo")
    response = editor_client.get(reverse("admin:articles_politician_changelist"), {"q": "BoJo"})
    assert list(response.context["cl"].result_list) == [politician]


@time_machine.travel(dt.datetime(2019, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_politician_list_shows_the_party_today(editor_client):
    con, ukip = PartyFactory(name="Conservative"), PartyFactory(name="UKIP")
    switcher = MembershipFactory(
        party=con, start_date=dt.date(2005, 5, 5), end_date=dt.date(2014, 8, 27)
    ).politician
    MembershipFactory(politician=switcher, party=ukip, start_date=dt.date(2014, 8, 28))
    PoliticianFactory(name="Nobody Partisan")
    response = editor_client.get(reverse("admin:articles_politician_changelist"))
    shown = {p.name: p.current_party_name for p in response.context["cl"].result_list}
    assert shown == {switcher.name: "UKIP", "Nobody Partisan": None}
    assert "Independent / no party" in response.text


def test_party_page_lists_current_and_former_members(editor_client):
    party = PartyFactory(name="Liberal Democrats", colour="#FAA61A")
    current = MembershipFactory(party=party, start_date=dt.date(2019, 6, 1)).politician
    former = MembershipFactory(
        party=party, start_date=dt.date(2001, 1, 1), end_date=dt.date(2010, 1, 1)
    ).politician
    response = editor_client.get(reverse("admin:articles_party_change", args=[party.pk]))
    assert current.name in response.text
    assert former.name in response.text
    listing = editor_client.get(reverse("admin:articles_party_changelist"))
    assert "background:#FAA61A" in listing.text


def test_deleting_a_politician_in_use_is_refused(editor_client):
    mention = MentionFactory()
    politician = mention.politician
    url = reverse("admin:articles_politician_delete", args=[politician.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "protected related objects" in response.text
    response = editor_client.post(url, {"post": "yes"})
    assert "protected related objects" in response.text
    assert Politician.objects.filter(pk=politician.pk).exists()


def test_deleting_a_party_with_members_is_refused(editor_client):
    membership = MembershipFactory()
    url = reverse("admin:articles_party_delete", args=[membership.party.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert "protected related objects" in response.text
    assert PartyMembership.objects.filter(pk=membership.pk).exists()


def test_unused_politician_can_be_deleted(editor_client):
    politician = MembershipFactory().politician
    url = reverse("admin:articles_politician_delete", args=[politician.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Politician.objects.exists()


def test_standalone_role_ending_before_it_starts_is_a_form_error(editor_client):
    data = {
        "politician": PoliticianFactory().pk,
        "title": "Chancellor of the Exchequer",
        "organisation": "",
        "start_date": "2016-07-13",
        "end_date": "2016-07-01",
    }
    response = editor_client.post(reverse("admin:articles_role_add"), data)
    assert response.status_code == 200
    assert "end_date" in response.context["adminform"].form.errors
    assert not Role.objects.exists()


def conservative_since_2005():
    con = PartyFactory(name="Conservative Party")
    existing = MembershipFactory(party=con, start_date=dt.date(2005, 5, 5), end_date=None)
    return existing.politician, con, existing


def test_membership_of_another_party_overlapping_is_a_form_error_with_a_fix(editor_client):
    politician, con, existing = conservative_since_2005()
    labour = PartyFactory(name="Labour Party")
    data = politician_data(
        politician,
        memberships=[
            membership_row(con, "2005-05-05", "", existing.pk, politician),
            membership_row(labour, "2019-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = inline_errors(response, "memberships")
    assert any(
        "overlaps the Conservative Party membership (5 May 2005 to present)" in e for e in errors
    )
    page = response.content.decode()
    assert 'name="memberships-1-end_earlier"' in page
    assert "End the Conservative Party membership on 31 December 2018 and save" in page
    assert list(politician.memberships.values_list("party", flat=True)) == [con.pk]


def test_the_fix_ends_the_earlier_membership_and_keeps_what_was_typed(editor_client):
    politician, con, existing = conservative_since_2005()
    labour = PartyFactory(name="Labour Party")
    data = politician_data(
        politician,
        memberships=[
            membership_row(con, "2005-05-05", "", existing.pk, politician),
            membership_row(labour, "2019-01-01"),
        ],
        initial={"memberships": 1},
    )
    data["biography"] = "Crossed the floor in 2019."
    data["memberships-1-end_earlier"] = "on"
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    assert editor_client.post(url, data).status_code == 302
    politician.refresh_from_db()
    assert politician.biography == "Crossed the floor in 2019."
    assert list(
        politician.memberships.order_by("start_date").values_list("party", "start_date", "end_date")
    ) == [
        (con.pk, dt.date(2005, 5, 5), dt.date(2018, 12, 31)),
        (labour.pk, dt.date(2019, 1, 1), None),
    ]
    assert party_of(politician, dt.date(2018, 12, 31)) == con
    assert party_of(politician, dt.date(2019, 1, 1)) == labour


def test_the_row_that_starts_later_carries_the_error_and_the_fix(editor_client):
    politician, con, existing = conservative_since_2005()
    labour = PartyFactory(name="Labour Party")
    data = politician_data(
        politician,
        memberships=[
            membership_row(con, "2005-05-05", "", existing.pk, politician),
            membership_row(labour, "2001-01-01", "2006-01-01"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    page = editor_client.post(url, data).content.decode()
    assert 'name="memberships-0-end_earlier"' in page
    assert "End the Labour Party membership on 4 May 2005 and save" in page


def test_no_fix_is_offered_for_memberships_that_start_the_same_day(editor_client):
    politician, con, existing = conservative_since_2005()
    labour = PartyFactory(name="Labour Party")
    data = politician_data(
        politician,
        memberships=[
            membership_row(con, "2005-05-05", "", existing.pk, politician),
            membership_row(labour, "2005-05-05"),
        ],
        initial={"memberships": 1},
    )
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = inline_errors(response, "memberships")
    assert any("overlaps the Conservative Party membership" in e for e in errors)
    assert "end_earlier" not in response.content.decode()
    assert politician.memberships.count() == 1


def standalone_labour_data(politician, labour, **extra):
    return {
        "politician": politician.pk,
        "party": labour.pk,
        "start_date": "2019-01-01",
        "end_date": "",
        **extra,
    }


def test_standalone_membership_of_another_party_overlapping_offers_the_fix(editor_client):
    politician, con, existing = conservative_since_2005()
    labour = PartyFactory(name="Labour Party")
    url = reverse("admin:articles_partymembership_add")
    response = editor_client.post(url, standalone_labour_data(politician, labour))
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.non_field_errors())
    assert "overlaps the Conservative Party membership" in errors
    assert 'name="end_earlier"' in errors
    assert PartyMembership.objects.count() == 1

    response = editor_client.post(url, standalone_labour_data(politician, labour, end_earlier="on"))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.end_date == dt.date(2018, 12, 31)
    assert politician.memberships.get(party=labour).start_date == dt.date(2019, 1, 1)
