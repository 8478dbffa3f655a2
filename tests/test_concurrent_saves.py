"""Two editors saving the same membership or role at the same moment, from two pages, in two
threads with their own connections: one save wins, the other is told its record changed and
keeps its input; never a server error, never a lost update (PostgreSQL, real row locks)."""

import datetime as dt
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.admin import versioning
from articles.admin.versioning import CONFLICT_RETRIES
from articles.models import PartyMembership, Role

from .factories import MembershipFactory, PoliticianFactory, RoleFactory
from .test_concurrency import errors_in, form_data

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 20


def logged_in(username):
    # A superuser: transactional tests empty the tables, the Editors group with them.
    user = User.objects.create_superuser(username, password="not-a-real-one")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def post_together(*posts):
    """Run the ``(client, url, data)`` posts at once, each in its own thread and connection."""
    barrier = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def post(i, client, url, data):
        try:
            barrier.wait(timeout=10)
            responses[i] = client.post(url, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i, *each)) for i, each in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in responses), "a request did not finish"
    return responses


def saved_or_refused(response, name):
    """'saved' for a redirect after saving, 'refused' for the form shown again with the
    changed-by-someone-else error; anything else fails the test."""
    assert response.status_code in (200, 302), response.content[:3000]
    if response.status_code == 302:
        return "saved"
    errors = errors_in(response)
    assert any(f"This {name} was changed by someone else" in e for e in errors), errors
    return "refused"


@pytest.mark.parametrize(
    ("factory", "model", "prefix", "own_page"),
    [
        (MembershipFactory, PartyMembership, "memberships", "partymembership"),
        (RoleFactory, Role, "roles", "role"),
    ],
    ids=["membership", "role"],
)
def test_politician_page_and_own_page_at_once(factory, model, prefix, own_page):
    alice, bob = logged_in("alice"), logged_in("bob")
    politician = PoliticianFactory(name="Diane Abbott")
    record = factory(politician=politician, start_date="2001-01-01")
    name = model._meta.verbose_name
    politician_url = reverse("admin:articles_politician_change", args=[politician.pk])
    own_url = reverse(f"admin:articles_{own_page}_change", args=[record.pk])
    outcomes = []
    for round_ in range(ROUNDS):
        alices_form = form_data(alice.get(politician_url), "politician")
        bobs_form = form_data(bob.get(own_url), own_page)
        alices_end, bobs_end = dt.date(2019, 2, round_ + 1), dt.date(2020, 3, round_ + 1)
        alices_form[f"{prefix}-0-end_date"] = alices_end.isoformat()
        alices_form["biography"] = f"Alice's biography, round {round_}."
        bobs_form["end_date"] = bobs_end.isoformat()

        alices, bobs = post_together(
            (alice, politician_url, alices_form), (bob, own_url, bobs_form)
        )

        alice_did = saved_or_refused(alices, name)
        bob_did = saved_or_refused(bobs, name)
        outcomes.append((alice_did, bob_did))
        # Both opened the same version: exactly one save goes through.
        assert sorted((alice_did, bob_did)) == ["refused", "saved"], outcomes
        stored = model.objects.get(pk=record.pk)
        politician.refresh_from_db()
        if alice_did == "saved":
            assert stored.end_date == alices_end
            assert politician.biography == f"Alice's biography, round {round_}."
        else:
            assert stored.end_date == bobs_end
            assert f"Alice&#x27;s biography, round {round_}." in alices.content.decode()
            assert politician.biography != f"Alice's biography, round {round_}."
        if bob_did == "refused":
            assert f'value="{bobs_end.isoformat()}"' in bobs.content.decode()
    assert len(outcomes) == ROUNDS


@pytest.mark.parametrize("retries", [CONFLICT_RETRIES, 1], ids=["tried-again", "out-of-tries"])
def test_a_save_that_loses_a_deadlock_is_refused_with_the_input_kept(retries, monkeypatch):
    """Another writer that locks in the other order (the membership, then its politician) makes
    a real deadlock; when PostgreSQL aborts the editor's save, the save is tried again, finds
    the other writer's change, and the form comes back refused with the editor's input (also
    when it is out of tries)."""
    monkeypatch.setattr(versioning, "CONFLICT_RETRIES", retries)
    alice = logged_in("alice")
    politician = PoliticianFactory(name="Diane Abbott")
    membership = MembershipFactory(politician=politician, start_date="2001-01-01")
    url = reverse("admin:articles_politician_change", args=[politician.pk])
    form = form_data(alice.get(url), "politician")
    form["memberships-0-end_date"] = "2019-02-18"
    form["biography"] = "Alice's biography."
    other = connections.create_connection("default")
    responses = []

    def alice_saves():
        try:
            responses.append(alice.post(url, form))
        finally:
            connections.close_all()

    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT id FROM articles_partymembership WHERE id = %s FOR UPDATE", [membership.pk]
            )
            thread = threading.Thread(target=alice_saves)
            thread.start()
            waiting = 0
            for _ in range(200):  # until Alice's save waits for the membership's lock
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                (waiting,) = cursor.fetchone()
                if waiting:
                    break
                time.sleep(0.05)
            assert waiting, "the save never waited for the lock"
            cursor.execute(
                "SELECT id FROM articles_politician WHERE id = %s FOR UPDATE", [politician.pk]
            )
            cursor.execute(
                "UPDATE articles_partymembership SET end_date = '2022-01-01', "
                "version = version + 1 WHERE id = %s",
                [membership.pk],
            )
            cursor.execute("COMMIT")
        thread.join(timeout=60)
    finally:
        other.close()
    (response,) = responses
    assert saved_or_refused(response, "party membership") == "refused"
    assert "Alice&#x27;s biography." in response.content.decode()
    membership.refresh_from_db()
    politician.refresh_from_db()
    assert str(membership.end_date) == "2022-01-01"
    assert politician.biography == ""
