"""/healthz and the structured request log."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_503_when_the_database_is_gone(tmp_path):
    """A server whose database cannot be opened says so, instead of failing with a 500."""
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"sqlite:///{missing}", DJANGO_SETTINGS_MODULE="newsroom.settings")
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps([r.status_code, r.json()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["status"] == "error"


@pytest.fixture
def request_log(caplog):
    """The records of the request logger (it does not propagate to the root logger)."""
    logger = logging.getLogger("newsroom.requests")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="newsroom.requests")
    yield lambda: [
        json.loads(r.getMessage()) for r in caplog.records if r.name == "newsroom.requests"
    ]
    logger.removeHandler(caplog.handler)


def test_each_request_is_logged_as_one_json_line(client, request_log):
    client.get("/healthz")
    client.get("/articles/2016/06/28/no-such-article/?page=2")
    ok, missing = request_log()
    assert ok["method"] == "GET" and ok["path"] == "/healthz" and ok["status"] == 200
    assert missing["path"] == "/articles/2016/06/28/no-such-article/"
    assert missing["status"] == 404
    for line in (ok, missing):
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_refused_requests_are_logged_too(client, request_log):
    client.post("/healthz")
    (line,) = request_log()
    assert line == {**line, "method": "POST", "path": "/healthz", "status": 405}
