"""Read replicas: public reads go to a replica; writes, the admin and editors use the primary.

In tests a replica is the test database itself under a second alias (``TEST["MIRROR"]``, as the
settings declare replicas), so what is checked here is where each query goes: the router's
answers, and the queries each alias ran during real requests.
"""

import copy
import runpy
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Source
from newsroom.middleware import ReplicaRoutingMiddleware
from newsroom.routers import PrimaryReplicaRouter, reading_from

from .factories import ArticleFactory, MentionFactory
from .test_concurrency import form_data

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "newsroom" / "settings.py"
ROUTER = "newsroom.routers.PrimaryReplicaRouter"
MIDDLEWARE = "newsroom.middleware.ReplicaRoutingMiddleware"


def declare_replica(alias):
    """Add ``alias`` as the settings declare a replica, pointing at the test database."""
    default = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[alias] = {
        **copy.deepcopy(default),
        "TEST": {**default["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }


@contextmanager
def replica_alias(alias):
    """``alias`` declared for the block, unless DATABASE_REPLICA_URLS already declared it."""
    added = alias not in connections
    if added:
        declare_replica(alias)
    try:
        yield alias
    finally:
        connection = connections[alias]
        connection.close()
        if hasattr(connection, "close_pool"):
            # Its pooled connections would keep the test database from being dropped.
            connection.close_pool()
        if added:
            del connections[alias]
            del connections.settings[alias]


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup):
    with replica_alias("replica") as alias:
        yield alias


@pytest.fixture
def second_replica():
    with replica_alias("replica_2") as alias:
        yield alias


@pytest.fixture
def routed(settings):
    """The router and middleware installed, as the settings do when replicas are configured."""
    settings.DATABASE_ROUTERS = [ROUTER]
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]


def reads_from():
    return Article.objects.all().db


# The router -----------------------------------------------------------------------------------


def test_outside_a_request_everything_uses_the_primary(routed):
    assert reads_from() == "default"
    assert router.db_for_write(Article) == "default"


def test_public_reads_go_to_the_replica_and_writes_to_the_primary(routed):
    with reading_from("replica"):
        assert reads_from() == "replica"
        assert router.db_for_read(Source) == "replica"
        assert router.db_for_write(Article) == "default"
    assert reads_from() == "default"


def test_a_request_for_the_primary_reads_from_it(routed):
    with reading_from(None):
        assert reads_from() == "default"


@pytest.mark.django_db
def test_after_a_write_the_rest_of_the_request_reads_from_the_primary(routed):
    with reading_from("replica"):
        assert reads_from() == "replica"
        Source.objects.create(name="The Times")
        assert reads_from() == "default"
    with reading_from("replica"):
        assert reads_from() == "replica"  # the next request starts afresh


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary(routed):
    with reading_from("replica"):
        with transaction.atomic():
            assert reads_from() == "default"
        assert reads_from() == "replica"


def test_migrations_run_on_the_primary_only():
    replica_router = PrimaryReplicaRouter()
    assert replica_router.allow_migrate("default", "articles", model_name="article")
    assert not replica_router.allow_migrate("replica", "articles", model_name="article")
    assert not replica_router.allow_migrate("replica_2", "auth")


def test_rows_from_the_primary_and_a_replica_may_be_related(routed):
    article, source = Article(), Source()
    article._state.db, source._state.db = "replica", "default"
    assert PrimaryReplicaRouter().allow_relation(article, source)
    article.source = source  # refused with ValueError if the router did not allow it


# The middleware -------------------------------------------------------------------------------


def read_during(request, view=None):
    """The alias the view's reads went to, for ``request`` through the middleware."""
    middleware = ReplicaRoutingMiddleware(view or (lambda request: HttpResponse(reads_from())))
    return middleware(request).content.decode()


def test_public_pages_read_from_the_replica(routed, rf: RequestFactory):
    assert read_during(rf.get("/articles/")) == "replica"
    assert read_during(rf.head("/politicians/")) == "replica"
    assert reads_from() == "default"  # and the request's choice ends with it


def test_the_admin_reads_from_the_primary(routed, rf):
    assert read_during(rf.get(reverse("admin:articles_article_changelist"))) == "default"
    assert read_during(rf.get(reverse("admin:login"))) == "default"


def test_posts_read_from_the_primary(routed, rf):
    assert read_during(rf.post("/articles/")) == "default"
    assert read_during(rf.delete("/articles/")) == "default"


def test_editors_read_from_the_primary_on_public_pages_too(routed, rf, settings):
    # Only editors have a session: the public site never starts one.
    request = rf.get("/articles/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert read_during(request) == "default"


def test_each_request_reads_from_one_replica_chosen_at_random(routed, rf, second_replica):
    def two_reads(request):
        return HttpResponse(f"{reads_from()} {Source.objects.all().db}")

    seen = set()
    for _ in range(64):
        first, second = read_during(rf.get("/"), two_reads).split()
        assert first == second
        seen.add(first)
    assert seen == {"replica", "replica_2"}


def test_streamed_responses_read_from_the_request_replica(routed, rf):
    def streamed(request):
        return StreamingHttpResponse(reads_from() for _ in range(2))

    response = ReplicaRoutingMiddleware(streamed)(rf.get("/articles/export.csv"))
    assert reads_from() == "default"
    assert b"".join(response.streaming_content) == b"replicareplica"


# Through the whole stack ----------------------------------------------------------------------


@contextmanager
def queries_on(*aliases):
    """The queries each alias runs inside the block."""
    with ExitStack() as stack:
        yield {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in aliases
        }


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_readers_read_from_the_replica_and_editors_from_the_primary(routed, client):
    mention = MentionFactory(article=ArticleFactory(headline="Leader resigns", status="published"))
    article = mention.article

    with queries_on("default", "replica") as queries:
        page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Leader resigns" in page.content.decode()
    assert len(queries["replica"]) > 0
    assert len(queries["default"]) == 0

    with queries_on("default", "replica") as queries:
        csv = b"".join(client.get(reverse("exports:articles-csv")).streaming_content)
    assert b"Leader resigns" in csv
    assert len(queries["replica"]) > 0
    assert len(queries["default"]) == 0

    editor = User.objects.create_superuser("chief", password="not-a-real-one")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    with queries_on("default", "replica") as queries:
        form = form_data(client.get(url), "article")
        saved = client.post(url, {**form, "headline": "Leader resigns, party in turmoil"})
        page = client.get(article.get_absolute_url())
    assert saved.status_code == 302
    assert "party in turmoil" in page.content.decode()
    assert len(queries["default"]) > 0
    assert len(queries["replica"]) == 0


# Settings -------------------------------------------------------------------------------------


def settings_with(monkeypatch, **environ):
    for name in ("DATABASE_REPLICA_URL", "DATABASE_REPLICA_URLS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_without_replicas_there_is_no_router_and_no_middleware(monkeypatch):
    computed = settings_with(monkeypatch)
    assert list(computed["DATABASES"]) == ["default"]
    assert "DATABASE_ROUTERS" not in computed
    assert MIDDLEWARE not in computed["MIDDLEWARE"]


def test_replica_urls_become_aliases_tested_against_the_test_database(monkeypatch):
    computed = settings_with(
        monkeypatch,
        DATABASE_URL="postgres://newsroom@primary.internal:5432/newsroom",
        DATABASE_REPLICA_URLS=(
            "postgres://reader@replica-1.internal:5432/newsroom,"
            "postgres://reader@replica-2.internal:5432/newsroom"
        ),
    )
    databases = computed["DATABASES"]
    assert list(databases) == ["default", "replica", "replica_2"]
    assert [databases[alias]["HOST"] for alias in databases] == [
        "primary.internal",
        "replica-1.internal",
        "replica-2.internal",
    ]
    for alias in ("replica", "replica_2"):
        assert databases[alias]["TEST"] == {"MIRROR": "default"}
        assert "pool" in databases[alias]["OPTIONS"]
        assert "jit=off" in databases[alias]["OPTIONS"]["options"]
    assert computed["DATABASE_ROUTERS"] == [ROUTER]
    assert computed["MIDDLEWARE"][0] == MIDDLEWARE


def test_one_replica_url(monkeypatch):
    computed = settings_with(
        monkeypatch, DATABASE_REPLICA_URL="postgres://reader@replica.internal:5432/newsroom"
    )
    assert list(computed["DATABASES"]) == ["default", "replica"]
    assert computed["DATABASE_ROUTERS"] == [ROUTER]
