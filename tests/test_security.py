"""Security settings and headers: the deploy check, CSP, cookies and admin log-in throttling."""

import datetime as dt
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from newsroom.middleware import client_ip

from .factories import ArticleFactory, MentionFactory, PartyFactory

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ONE_YEAR = 365 * 24 * 60 * 60


def production_env(**extra):
    """The documented production environment (docs/deployment.md)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="archive.example.org",
        DATABASE_URL="postgres://newsroom@127.0.0.1:5432/newsroom",
        **extra,
    )
    return env


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_nothing_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python(
        "import django; django.setup()", env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.fixture(scope="module")
def production_settings():
    """The security settings as production computes them (read in a fresh process)."""
    names = [
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_PROXY_SSL_HEADER",
    ]
    code = (
        "import json; from newsroom import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}


@pytest.fixture
def production(settings, production_settings):
    """This process's settings switched to production's security values."""
    for name, value in production_settings.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    return Client(HTTP_HOST="archive.example.org", HTTP_X_FORWARDED_PROTO="https")


@pytest.fixture
def article(db):
    mention = MentionFactory(article=ArticleFactory(headline="Leader resigns"))
    PartyFactory()
    return mention.article


def public_urls(article):
    return [
        "/",
        "/articles/",
        "/articles/?q=leader",
        article.get_absolute_url(),
        article.mentions.first().politician.get_absolute_url(),
        "/parties/",
    ]


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response):
    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_carry_the_security_headers(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_not_found_and_admin_pages_carry_the_security_headers(client, article):
    assert_security_headers(client.get("/articles/2016/06/28/no-such-article/"))
    assert_security_headers(client.get("/admin/login/"))


def test_production_sends_hsts_of_at_least_a_year(production, article):
    response = production.get("/", secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= ONE_YEAR
    assert "includeSubDomains" in hsts
    assert_security_headers(response)


def test_production_redirects_plain_http_to_https(production, article):
    response = production.get("/", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://archive.example.org/"


def test_public_pages_set_no_cookies(client, article):
    for url in public_urls(article):
        response = client.get(url)
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, url


class Scripts(HTMLParser):
    """Every <script> in a page, and every inline event-handler attribute."""

    def __init__(self):
        super().__init__()
        self.inline = []
        self.handlers = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script":
            self._in_script = attrs

    def handle_data(self, data):
        attrs = self._in_script
        if (
            attrs is not None
            and data.strip()
            and "src" not in attrs
            and attrs.get("type") not in {"application/json", "application/ld+json"}
        ):
            self.inline.append(data.strip()[:80])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def executable_inline_code(response):
    parser = Scripts()
    parser.feed(response.content.decode())
    return parser.inline + parser.handlers


@pytest.fixture
def editor(db):
    user = User.objects.create_user("ed", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_pages_need_no_inline_scripts_under_the_policy(client, article, editor):
    """The CSP forbids inline scripts; no page, the admin included, relies on one."""
    for url in public_urls(article):
        assert executable_inline_code(client.get(url)) == [], url
    assert executable_inline_code(client.get("/admin/login/")) == []
    client.force_login(editor)
    politician = article.mentions.first().politician
    for url in [
        "/admin/",
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_politician_change", args=[politician.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert executable_inline_code(response) == [], url


def login(client, username, password, ip="203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_admin_cookies_are_httponly_and_samesite(client, editor):
    page = client.get("/admin/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = login(client, "ed", "correct horse battery")
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_admin_cookies_are_secure_in_production(production, editor):
    page = production.get("/admin/login/", secure=True)
    assert page.cookies["csrftoken"]["secure"]
    response = production.post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": "correct horse battery", "next": "/admin/"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_repeated_failed_logins_are_answered_429(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "ed", "wrong").status_code == 200
    assert login(client, "ed", "wrong").status_code == 429
    # Locked out: even the right password is refused from here for now.
    assert login(client, "ed", "correct horse battery").status_code == 429


def test_lockout_is_per_username_and_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ed", "wrong", ip="198.51.100.66")
    assert login(client, "ed", "wrong", ip="198.51.100.66").status_code == 429
    # An attacker elsewhere cannot lock the editor out from the office.
    assert login(Client(), "ed", "correct horse battery", ip="203.0.113.5").status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor, settings):
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "ed", "wrong")
        assert login(client, "ed", "correct horse battery").status_code == 429
        clock.shift(dt.timedelta(minutes=14))
        assert login(client, "ed", "correct horse battery").status_code == 429
        clock.shift(dt.timedelta(minutes=2))
        assert login(client, "ed", "correct horse battery").status_code == 302


def test_password_validators_refuse_weak_passwords(settings):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    assert len(settings.AUTH_PASSWORD_VALIDATORS) >= 4
    for weak in ["password", "12345678", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


class FakeRequest:
    def __init__(self, **meta):
        self.META = meta


def test_client_address_behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = FakeRequest(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(spoofed) == "198.51.100.7"
    assert client_ip(FakeRequest(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(spoofed) == "10.0.0.2"


def test_static_files_from_a_cdn_are_allowed_by_the_policy():
    code = (
        "from newsroom import settings as s; "
        "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']))"
    )
    result = run_python(code, production_env(DJANGO_STATIC_URL="https://cdn.example.org/static/"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "https://cdn.example.org"]


def test_production_trusts_no_proxy_unless_told():
    code = "from newsroom import settings as s; print(s.TRUSTED_PROXY_COUNT)"
    assert run_python(code, production_env()).stdout.strip() == "0"
    told = production_env(DJANGO_TRUSTED_PROXY_COUNT="1")
    assert run_python(code, told).stdout.strip() == "1"


@pytest.mark.django_db
def test_rotating_x_forwarded_for_does_not_escape_the_log_in_throttle(client, settings):
    """Clients that connect directly cannot pick the address they are throttled under."""
    from django.contrib.auth import get_user_model

    settings.TRUSTED_PROXY_COUNT = 0
    get_user_model().objects.create_user("victim", password="a-long-test-password-1")
    statuses = []
    for n in range(settings.AXES_FAILURE_LIMIT + 2):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "victim", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429, statuses


def test_production_with_debug_on_still_needs_its_own_secret_key():
    env = production_env(DJANGO_DEBUG="1")
    env.pop("DJANGO_SECRET_KEY")
    result = run_python("import newsroom.settings", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
