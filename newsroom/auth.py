"""Log-in throttling for the admin (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses log-ins for a username and address that are locked out (django-axes).

    Web log-ins always come with a request and are throttled. A log-in without one (a management
    command, the test client's ``login()``) is not a web request and has no address to throttle:
    it goes straight on to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
