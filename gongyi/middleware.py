import time

from django.conf import settings

from gongyi.audit import current_ip


def client_ip(request) -> str | None:
    if settings.GONGYI_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Makes the client address of the request known to the audit trail for its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


#: When the session's expiry was last pushed back (seconds since the epoch), in the session.
SESSION_REFRESHED_AT = "_refreshed_at"


class SessionIdleMiddleware:
    """Ends a session ``SESSION_COOKIE_AGE`` after its last request (the idle timeout), writing it
    at most once every ``GONGYI_SESSION_REFRESH_SECONDS`` rather than on every request: saving
    the session on each request (``SESSION_SAVE_EVERY_REQUEST``) was most of the time of a bare
    page. A session in use thus ends between the idle timeout less the refresh interval and the
    idle timeout after its last request, never later. Placed right after ``SessionMiddleware``,
    which saves the session on the way out when it is modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or response.status_code >= 500:
            return response
        refreshed_at = session.get(SESSION_REFRESHED_AT)  # reads an unknown session as empty
        if session.is_empty():  # nobody logged in, or logged out: nothing to keep alive
            return response
        now = int(time.time())
        due = refreshed_at is None or now - refreshed_at >= settings.GONGYI_SESSION_REFRESH_SECONDS
        if due or session.modified:  # a modified session is saved anyway: note when
            session[SESSION_REFRESHED_AT] = now
        return response
