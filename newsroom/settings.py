"""Settings for the newsroom archive.

One module, driven by environment variables. Development defaults are safe and need no set-up
(SQLite file in the project folder, debug on). Production is selected with DJANGO_ENV=production,
which turns debug off by default and requires a secret key.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:  # with debug on too: a debugging production server still signs sessions
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "axes",
    "reversion",
    # Only for its bundled Swagger UI files: /api/docs is served from our own static files.
    "ninja",
    "articles",
]

MIDDLEWARE = [
    "newsroom.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole public pages for anonymous readers, until the archive changes (articles/web/cache.py).
    "articles.web.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Editors' long articles: a form error, not Django's bare 400 (articles/admin/uploads.py).
    "articles.admin.uploads.ArticleFormUploadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as its documentation asks: it answers locked-out log-ins with 429.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "newsroom.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The readers' template tags live with the pages (articles/web/templatetags).
            "libraries": {
                "archive_tags": "articles.web.templatetags.archive_tags",
                "facet_tags": "articles.web.templatetags.facet_tags",
                "fragment_tags": "articles.web.templatetags.fragment_tags",
                # The editors' desk: the admin's index page.
                "desk_tags": "articles.admin.desk_tags",
            },
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
# Read replicas of it (PostgreSQL streaming replication): the URLs in DATABASE_REPLICA_URLS,
# comma-separated (or DATABASE_REPLICA_URL for one), become the aliases replica, replica_2, …
# The public site reads from them (newsroom.routers). A test run points them at the test database
# (MIRROR) rather than create one on a replica's server.
# Without replicas there is no router and no extra middleware: everything uses "default".
for number, url in enumerate(
    env_list("DATABASE_REPLICA_URLS", env_list("DATABASE_REPLICA_URL", [])), start=1
):
    DATABASES["replica" if number == 1 else f"replica_{number}"] = {
        **dj_database_url.parse(url),
        "TEST": {"MIRROR": "default"},
    }
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]
    MIDDLEWARE = ["newsroom.middleware.ReplicaRoutingMiddleware", *MIDDLEWARE]
for database in DATABASES.values():
    if database["ENGINE"] != "django.db.backends.postgresql":
        continue
    # JIT compilation costs more than it saves on the short grouped counts the pages run
    # (measured in docs/performance.md); DATABASE_JIT=1 turns it back on.
    if not env_bool("DATABASE_JIT", False):
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # psycopg's connection pool (one per alias); persistent connections (CONN_MAX_AGE) must stay
    # off with it.
    if env_bool("DATABASE_POOL", True):
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("DATABASE_POOL_MIN", "1")),
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
        }
        database["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # The covering indexes' INCLUDE columns are a PostgreSQL feature; SQLite keeps the key part.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# A CDN in front of the static files: DJANGO_STATIC_URL=https://cdn.example.org/static/
STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "static/")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The page cache (articles/web/cache.py): on unless DJANGO_PAGE_CACHE=0; off by default with debug
# on, where templates and code change under it. A page is kept at most PAGE_CACHE_SECONDS (less
# when a scheduled article is due sooner, or at midnight).
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", not DEBUG)
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "3600"))
# Request bodies: Django's limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) everywhere but the admin's
# article form, which takes up to ARTICLE_FORM_UPLOAD_MAX_SIZE and refuses an article text over
# ARTICLE_BODY_MAX_SIZE with a form error, the input kept (articles/admin/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ARTICLE_BODY_MAX_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
ARTICLE_FORM_UPLOAD_MAX_SIZE = 10 * 1024 * 1024

# The API, popolo.json and the TimelineJS data tell browsers and CDNs to keep them this long and
# then revalidate with their ETag (articles/web/revalidation.py): an unpublished article leaves
# their copies within this many seconds.
REVALIDATE_SECONDS = int(os.environ.get("DJANGO_REVALIDATE_SECONDS", "60"))

# Bulk writes of articles, mentions, topic rows or memberships outside articles.derived.change()
# raise instead of leaving the stored counts, the facet sample and the mentions' copies stale
# (articles/derived/guard.py): on with debug and in the tests.
DERIVED_GUARD = env_bool("DJANGO_DERIVED_GUARD", DEBUG)

# Facet counts over large selections (articles/facets/estimates.py): the browser counts on a fixed
# sample of one article in FACET_SAMPLE_EVERY and shows "about N" when a facet would otherwise
# count more than FACET_EXACT_UP_TO articles. Changing FACET_SAMPLE_EVERY needs
# `manage.py recount_articles` to rebuild the sample.
FACET_SAMPLE_EVERY = int(os.environ.get("FACET_SAMPLE_EVERY", "100"))
FACET_EXACT_UP_TO = int(os.environ.get("FACET_EXACT_UP_TO", "5000"))

# Popolo import (docs/popolo.md): seats of the same party at most this many days apart (a
# dissolution and the election after it, a short by-election) are one party membership.
POPOLO_MERGE_GAP_DAYS = int(os.environ.get("POPOLO_MERGE_GAP_DAYS", "60"))
POPOLO_SEAT_TITLE = os.environ.get("POPOLO_SEAT_TITLE", "Member of Parliament")
# Exports streamed at once (articles/io/exports/slots.py): per client address and across the
# site (keep it below the number of gunicorn workers, so readers always find one free); 0 means
# no limit. A slot not given back (a killed worker) expires after EXPORT_SLOT_SECONDS.
EXPORTS_PER_CLIENT = int(os.environ.get("DJANGO_EXPORTS_PER_CLIENT", "1"))
EXPORTS_SITE_WIDE = int(os.environ.get("DJANGO_EXPORTS_SITE_WIDE", "1"))
EXPORT_SLOT_SECONDS = int(os.environ.get("DJANGO_EXPORT_SLOT_SECONDS", "60"))
# Where `manage.py dump_archive` writes the full-archive dump offered at /export/dumps/.
EXPORT_DUMP_DIR = Path(os.environ.get("DJANGO_EXPORT_DUMP_DIR", BASE_DIR / "dumps"))

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # One JSON line per request (newsroom.middleware.RequestLogMiddleware).
        "newsroom.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Production hardening (DJANGO_ENV=production). The documented production environment is
# DJANGO_ENV=production DJANGO_SECRET_KEY=<50+ random characters>
# DJANGO_ALLOWED_HOSTS=archive.example.org DATABASE_URL=postgres://...
# with which `manage.py check --deploy --fail-level WARNING` reports nothing (a test runs it).
if PRODUCTION:
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Health checks from the load balancer come over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts, styles and everything else from this site only;
# no inline scripts. Inline style *attributes* stay allowed for the party colours
# (style="--party-bg: #E4003B"), which cannot run code.
SELF, NONE = "'self'", "'none'"
# Static files from a CDN (DJANGO_STATIC_URL) are allowed from that origin too.
STATIC_ORIGINS = (
    ["{0.scheme}://{0.netloc}".format(urlsplit(STATIC_URL))]
    if urlsplit(STATIC_URL).scheme in {"http", "https"}
    else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *STATIC_ORIGINS],
        "style-src": [SELF, *STATIC_ORIGINS],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF, *STATIC_ORIGINS],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin log-in throttling (django-axes): after AXES_FAILURE_LIMIT failed log-ins for one
# username from one address, that pair is answered 429 until the cool-off has passed. Locking
# the username and address together means an attacker elsewhere cannot lock an editor out.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock-out: more tries meanwhile (even with the right password) do not
# push it further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
# Behind the reverse proxy the client address is the one it appends to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "newsroom.middleware.client_ip"
# Trust no proxy unless told: with gunicorn reachable directly, a trusted X-Forwarded-For would
# let anyone choose the address they are throttled under (or lock out someone else's).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

# Where the demo archive's seed article lives inside the project.
ARCHIVE_NAME = os.environ.get("ARCHIVE_NAME", "Political News Archive")
