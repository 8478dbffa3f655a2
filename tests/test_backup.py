"""The backup drill: back up an archive, restore it into an EMPTY database, and compare.

Runs the real scripts (scripts/backup.sh, scripts/restore.sh) against real databases: a SQLite
file always, and PostgreSQL when the test run itself is on PostgreSQL.
"""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
TEST_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = TEST_URL.startswith(("postgres://", "postgresql://"))

# Renders sample pages with the time frozen, and prints {url: [status, body]}.
RENDER_PAGES = """
import json, django, time_machine
django.setup()
from django.test import Client
from articles.models import Article, Party, Politician
with time_machine.travel("2026-01-15 12:00Z", tick=False):
    article = Article.objects.published().order_by("published_at", "pk").first()
    politician = Politician.objects.filter(mentions__isnull=False).order_by("pk").first()
    party = Party.objects.order_by("pk").first()
    urls = ["/", "/articles/", "/articles/?q=minister", article.get_absolute_url(),
            politician.get_absolute_url(), party.get_absolute_url(), "/parties/", "/healthz"]
    client = Client()
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = [response.status_code, response.content.decode()]
print(json.dumps(pages))
"""


def run(args, database_url, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings")
    result = subprocess.run(
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600, **kwargs
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build_archive(database_url):
    """A small archive: the project's demo archive, migrated and loaded as `make demo` does."""
    python = sys.executable
    run([python, "scripts/ensure_database.py"], database_url)
    run([python, "manage.py", "migrate", "--noinput", "-v0"], database_url)
    run([python, "manage.py", "load_demo"], database_url)


def render_pages(database_url):
    return json.loads(run([sys.executable, "-c", RENDER_PAGES], database_url).splitlines()[-1])


def sqlite_counts(path):
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def postgresql_counts(database_url):
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            t: db.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))).fetchone()[
                0
            ]
            for t in tables
        }


def assert_same_archive(before, after, pages_before, pages_after):
    assert before == after
    assert before["articles_article"] >= 30
    assert before["articles_mention"] >= 60
    assert pages_before.keys() == pages_after.keys()
    for url, (status, body) in pages_before.items():
        assert status == 200, url
        assert pages_after[url] == [status, body], f"{url} differs after the restore"


def test_sqlite_backup_restores_into_an_empty_file(tmp_path):
    source, restored = tmp_path / "archive.sqlite3", tmp_path / "restored.sqlite3"
    source_url, restored_url = f"sqlite:///{source}", f"sqlite:///{restored}"
    build_archive(source_url)
    backup = tmp_path / "backups" / "archive.sqlite3"
    assert "Backed up the sqlite database" in run(["scripts/backup.sh", str(backup)], source_url)
    assert not restored.exists()
    run(["scripts/restore.sh", str(backup)], restored_url)
    assert_same_archive(
        sqlite_counts(source),
        sqlite_counts(restored),
        render_pages(source_url),
        render_pages(restored_url),
    )


def test_sqlite_restore_refuses_a_database_that_is_not_empty(tmp_path):
    target = tmp_path / "in-use.sqlite3"
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE precious (id integer)")
        db.execute("INSERT INTO precious VALUES (1)")
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(backup) as db:
        db.execute("CREATE TABLE other (id integer)")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}"}
    result = subprocess.run(
        ["scripts/restore.sh", str(backup)], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert sqlite_counts(target) == {"precious": 1}


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 100)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    result = subprocess.run(
        ["scripts/restore.sh", str(junk)], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "is not an SQLite backup" in result.stderr
    assert not (tmp_path / "new.sqlite3").exists()


@pytest.fixture
def postgresql_databases():
    """Two database URLs on the test run's PostgreSQL server, dropped afterwards."""
    if not ON_POSTGRESQL:
        pytest.skip("the PostgreSQL drill runs when DATABASE_URL is PostgreSQL")
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(TEST_URL)
    suffix = uuid.uuid4().hex[:8]
    names = [f"{config['NAME']}_drill_{suffix}_src", f"{config['NAME']}_drill_{suffix}_dst"]
    base = TEST_URL.rsplit("/", 1)[0]
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
        for name in names:
            db.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_postgresql_backup_restores_into_a_new_database(tmp_path, postgresql_databases):
    source_url, restored_url = postgresql_databases
    build_archive(source_url)
    backup = tmp_path / "archive.dump"
    assert "Backed up the postgresql database" in run(
        ["scripts/backup.sh", str(backup)], source_url
    )
    run(["scripts/restore.sh", str(backup)], restored_url)
    assert_same_archive(
        postgresql_counts(source_url),
        postgresql_counts(restored_url),
        render_pages(source_url),
        render_pages(restored_url),
    )
    # Restoring a second time into the now-full database is refused.
    env = {**os.environ, "DATABASE_URL": restored_url}
    again = subprocess.run(
        ["scripts/restore.sh", str(backup)], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert again.returncode != 0 and "is not empty" in again.stderr
