"""Two measured workloads beside the page timings (``manage.py benchmark --csv-export``,
``--editor-wait LINES``): the full CSV export through gunicorn as production runs it, and how
long an editor's save waits while an import runs. They measure and report; they never assert.
"""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from articles.io.exports.csv import END_MARKER


@dataclass
class ExportRun:
    seconds: float
    lines: int
    articles_said: str
    complete: bool
    peak_worker_mb: float
    megabytes: float


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children_rss_mb(pid):
    """Resident memory of each child process of ``pid`` (gunicorn's workers), in MB."""
    sizes = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            sizes.append(int(fields.get("VmRSS", "0 kB").split()[0]) / 1024)
    return sizes


def database_url():
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def full_csv_export(*, log=print):
    """Download ``/articles/export.csv`` (every published article) from gunicorn started with the
    project's ``gunicorn.conf.py`` and production settings; sample the workers' memory."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    server = subprocess.Popen(
        gunicorn,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max([peak[0], *_children_rss_mb(server.pid)])
            time.sleep(0.2)

    try:
        url = f"http://127.0.0.1:{port}/articles/export.csv"
        for _ in range(100):  # until the workers answer
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        lines = size = 0
        last = b""
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=3600) as response:
            for line in response:
                lines += 1
                size += len(line)
                last = line
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=60)
    said = last.decode("utf-8").strip()
    prefix = END_MARKER.split("{", 1)[0]
    run = ExportRun(
        seconds=seconds,
        lines=lines,
        articles_said=said,
        complete=said.startswith(prefix),
        peak_worker_mb=peak[0],
        megabytes=size / 2**20,
    )
    log(
        f"full CSV export: {lines:,} lines, {run.megabytes:,.0f} MB in {seconds:.1f} s, "
        f"last line {said!r}, peak worker memory {run.peak_worker_mb:.0f} MB"
    )
    return run


EDITOR = """
import json, sys, time, django, os
django.setup()
from django.db import transaction
from articles.models import Article
article = Article.objects.order_by("pk").first()
waits = []
while not os.path.exists(sys.argv[1]):
    start = time.perf_counter()
    with transaction.atomic():
        article = Article.objects.get(pk=article.pk)
        article.standfirst = f"Edited at {time.time()}"
        article.save()
    waits.append((time.perf_counter() - start) * 1000)
    time.sleep(0.1)
print(json.dumps(waits))
"""


@contextlib.contextmanager
def scratch_archive(suffix):
    """A throw-away PostgreSQL database beside the archive's (its name plus ``_suffix``),
    migrated and holding a small generated archive, dropped afterwards. Yields the environment
    for commands run on it, the ``manage.py`` command line and up to 2,000 politicians' names."""
    import psycopg

    name = f"{connection.settings_dict['NAME']}_{suffix}"
    url = database_url().rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        cursor.execute(f"CREATE DATABASE {quoted}")
    try:
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run(
            [*manage, "generate_archive", "--articles", "1000", "-v", "0"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with psycopg.connect(url) as other:
            rows = other.execute("SELECT name FROM articles_politician ORDER BY id LIMIT 2000")
            names = [row[0] for row in rows]
        yield env, manage, names
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def editor_wait_during_import(*, lines=20_000, log=print):
    """An editor saves an article every 0.1 s while ``import_articles`` loads ``lines`` lines,
    in a throw-away database (``scratch_archive``); returns the waits in ms, sorted, and the
    import's seconds."""
    import json
    import tempfile

    from articles.tools.benchmark import write_jsonl

    with scratch_archive("editor") as (env, manage, names), tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "articles.jsonl")
        stop = os.path.join(tmp, "stop")
        write_jsonl(path, lines=lines, politician_names=names)
        editor = subprocess.Popen(
            [sys.executable, "-c", EDITOR, stop],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(1)  # the editor is saving before the import starts
        start = time.perf_counter()
        subprocess.run(
            [*manage, "import_articles", path, "-v", "0"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        open(stop, "w").close()
        waits = sorted(json.loads(editor.communicate(timeout=120)[0]))

    def at(p):
        return waits[min(len(waits) - 1, int(len(waits) * p / 100))]

    log(
        f"editor saves during a {lines:,}-line import ({seconds:.1f} s): {len(waits)} saves, "
        f"p50 {at(50):.0f} ms, p95 {at(95):.0f} ms, max {waits[-1]:.0f} ms"
    )
    return waits, seconds
