"""gunicorn's settings for production (`make serve` and docs/deployment.md use this file;
gunicorn also reads it by itself when started from the project folder). Each can be set from the
environment."""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two workers per core: requests wait mostly on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
# Threaded workers: a long download (a large CSV export streams for minutes) holds one thread,
# while the worker goes on answering other requests and telling the arbiter it is alive, so
# `timeout` never cuts such a download off (a sync worker would be killed after 30 s).
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker silent for this many seconds (stuck, not merely busy) is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Time for running requests to finish on a restart or deploy.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Workers are replaced now and then (staggered), so slow growth in memory never accumulates.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
keepalive = 5
accesslog = "-"
