import pytest


@pytest.fixture(autouse=True)
def _plain_cache(settings):
    """Each test starts with an empty local cache."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
