from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).parent / "snapshots"


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="write the HTML that tests give to the `snapshot` fixture into tests/snapshots/ "
        "instead of comparing it with the files there (`make snapshots`)",
    )


@pytest.fixture
def snapshot(request):
    """``snapshot(name, html)``: ``html`` must equal tests/snapshots/NAME.html; with
    ``--update-snapshots`` the file is written instead (review the change with ``git diff``)."""
    update = request.config.getoption("--update-snapshots")

    def check(name, html):
        path = SNAPSHOTS / f"{name}.html"
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as file:
                file.write(html)
            return
        assert path.exists(), f"no snapshot {name}.html: run `make snapshots`, review, commit"
        with path.open(encoding="utf-8", newline="") as file:
            expected = file.read()
        assert html == expected, (
            f"the HTML differs from tests/snapshots/{name}.html; if the change is meant, run "
            "`make snapshots` and review the diff"
        )

    return check


@pytest.fixture(autouse=True)
def _plain_cache(settings):
    """Each test starts with an empty local cache, and the page cache off (tests that change
    data between requests see the change without a commit; tests/test_page_cache.py turns it on).
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE = False
    settings.DERIVED_GUARD = True  # bulk writes outside articles.derived.change() raise
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def editor_client(client):
    """A test client logged in as a member of the Editors group (not a superuser)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("ed", password="not-a-real-one", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client
