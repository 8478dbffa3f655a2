"""The project's URLs plus one page that fails, for the tests of the 500 page."""

from django.urls import path

from newsroom.urls import handler404
from newsroom.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("a failure the reader must not see")


urlpatterns = [path("failing-page/", fail), *project_urlpatterns]
__all__ = ["handler404", "urlpatterns"]
