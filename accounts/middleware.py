"""Sessions end after a working day and after idle time."""

import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED = "session_started_at"
SESSION_SEEN = "session_seen_at"


class SessionLimitsMiddleware:
    """Log out a session older than SESSION_COOKIE_AGE or idle past SESSION_IDLE_TIMEOUT.

    The cookie's own expiry is not enough: Django renews it on every save, so a
    session used all night would never end.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            seen = session.get(SESSION_SEEN)
            if started is None:
                session[SESSION_STARTED] = now
            elif now - started > settings.SESSION_COOKIE_AGE or (
                seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                return self.get_response(request)
            # Write at most once a minute so reads don't rewrite the session row.
            if seen is None or now - seen > 60:
                session[SESSION_SEEN] = now
        return self.get_response(request)
