"""gunicorn reads the project's settings file as written."""

import subprocess
import sys

from django.conf import settings


def test_gunicorn_reads_the_projects_settings():
    code = (
        "from gunicorn.config import Config; c = Config(); "
        "c.set('config', 'gunicorn.conf.py'); "
        "import runpy; conf = runpy.run_path('gunicorn.conf.py'); "
        "[c.set(k, v) for k, v in conf.items() if k in c.settings]; "
        "print(c.timeout, c.graceful_timeout, c.max_requests, c.workers >= 2, c.wsgi_app, "
        "c.worker_class_str, c.threads)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "30",
        "30",
        "2000",
        "True",
        "newsroom.wsgi:application",
        "gthread",
        "4",
    ]
