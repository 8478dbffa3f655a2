"""Exports stream one at a time per client and a few at a time across the site (429 when busy),
and give their slot back when they end, when the client goes away, or when it expires."""

import csv
import io
import socket
import time
from http.client import HTTPConnection
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.factories import ArticleFactory

EXPORT = "/articles/export.csv"


@pytest.fixture
def limits(settings):
    settings.EXPORTS_PER_CLIENT = 1
    settings.EXPORTS_SITE_WIDE = 2
    settings.EXPORT_SLOT_SECONDS = 60
    return settings


def finish(response):
    """Read a streamed export to its end, as a client does (the test client then closes it)."""
    return b"".join(response.streaming_content).decode()


@pytest.mark.django_db
def test_one_export_at_a_time_per_client(client, limits):
    ArticleFactory.create_batch(3)
    first = client.get(EXPORT, REMOTE_ADDR="192.0.2.1")
    assert first.status_code == 200
    second = client.get(EXPORT, REMOTE_ADDR="192.0.2.1")
    assert second.status_code == 429
    assert second["Retry-After"] == "30"
    assert "already running" in second.content.decode()
    # Another client is not held up by the first one.
    other = client.get(EXPORT, REMOTE_ADDR="192.0.2.2")
    assert other.status_code == 200
    # Two exports run across the site: a third client waits.
    third = client.get(EXPORT, REMOTE_ADDR="192.0.2.3")
    assert third.status_code == 429
    assert "busy" in third.content.decode()
    # Finished exports give their slots back.
    assert finish(first).endswith("# end of export: 3 articles\r\n")
    finish(other)
    again = client.get(EXPORT, REMOTE_ADDR="192.0.2.1")
    assert again.status_code == 200
    assert finish(again).endswith("# end of export: 3 articles\r\n")
    assert client.get(EXPORT, REMOTE_ADDR="192.0.2.3").status_code == 200


@pytest.mark.django_db
def test_a_refused_export_does_not_take_a_client_slot(client, limits):
    limits.EXPORTS_SITE_WIDE = 1
    held = client.get(EXPORT, REMOTE_ADDR="192.0.2.1")
    assert client.get(EXPORT, REMOTE_ADDR="192.0.2.2").status_code == 429
    held.close()  # the client went away before reading
    assert client.get(EXPORT, REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.django_db
def test_a_slot_left_behind_expires(client, limits):
    limits.EXPORT_SLOT_SECONDS = 1
    abandoned = client.get(EXPORT, REMOTE_ADDR="192.0.2.1")  # never read nor closed
    assert client.get(EXPORT, REMOTE_ADDR="192.0.2.1").status_code == 429
    time.sleep(1.2)
    assert client.get(EXPORT, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert abandoned.status_code == 200


@pytest.mark.django_db
def test_no_limit_when_set_to_zero(client, limits):
    limits.EXPORTS_PER_CLIENT = limits.EXPORTS_SITE_WIDE = 0
    responses = [client.get(EXPORT) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]


def _open_export(live_server):
    """An export request over a real socket whose reader takes its time (a small receive
    buffer), so the server is still streaming while the test goes on."""
    address = urlsplit(live_server.url)
    connection = HTTPConnection(address.hostname, address.port, timeout=30)
    connection.sock = socket.create_connection((address.hostname, address.port))
    connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock = connection.sock
    connection.request("GET", EXPORT)
    return sock, connection.getresponse()


def _status(live_server):
    address = urlsplit(live_server.url)
    connection = HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", EXPORT)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Retry-After"), body


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_streams_from_one_client(live_server, limits):
    call_command("generate_archive", articles=4000, seed=3, verbosity=0)
    sock, first = _open_export(live_server)
    assert first.status == 200
    assert first.read(100).startswith(b"headline,date,")

    status, retry_after, body = _status(live_server)
    assert (status, retry_after) == (429, "30")
    assert b"already running" in body

    # The first client reads to the end: the whole export and its marker arrive, and the slot
    # is free again.
    rest = first.read()
    first.close()
    assert rest.decode().endswith("# end of export: 4000 articles\r\n")
    status, _, body = _status(live_server)
    assert status == 200
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 4002 and rows[-1] == ["# end of export: 4000 articles"]


@pytest.mark.django_db(transaction=True)
def test_a_client_that_goes_away_gives_its_slot_back(live_server, limits):
    call_command("generate_archive", articles=4000, seed=4, verbosity=0)
    sock, first = _open_export(live_server)
    assert first.status == 200
    first.read(100)
    assert _status(live_server)[0] == 429
    # Gone before reading the rest: the server's next writes fail and it closes the response.
    sock.shutdown(socket.SHUT_RDWR)
    first.close()
    sock.close()
    deadline = time.monotonic() + 20
    while (status := _status(live_server)[0]) == 429 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status == 200
