import pytest


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
