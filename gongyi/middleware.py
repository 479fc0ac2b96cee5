import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from gongyi.audit import current_ip
from gongyi.text import control_character_error


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


#: The site runs its own scripts and styles only: no inline script, style or event handler, no
#: other origin (a county intranet has no internet anyway), no frames, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
#: The API's browsable docs (Swagger UI from drf-spectacular-sidecar) inline one <style> block
#: and draw icons from data: URLs; their scripts are files, as everywhere else.
DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("img-src 'self'", "img-src 'self' data:")
DOCS_PATHS = ("/api/docs/",)
#: No page needs the camera, the microphone, the position, payments or the like.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    """Every answer that is not a static file (WhiteNoise, above, answers those first) carries
    the Content-Security-Policy, the Permissions-Policy and ``Cache-Control: no-store``: pages,
    API answers, exports and scans hold personal data that no browser or proxy may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        docs = request.path.startswith(DOCS_PATHS)
        response.headers["Content-Security-Policy"] = (
            DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY
        )
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if "no-store" not in response.get("Cache-Control", ""):  # never_cache's says it already
            response.headers["Cache-Control"] = "no-store"
        return response


class ControlCharacterQueryMiddleware:
    """A query string with a control character (a NUL byte, say) is a 400 with the reason, before
    any view builds a query of it: PostgreSQL refuses a NUL in a query, so it would otherwise be a
    500 (gongyi.text: no control characters in text input; tab and line breaks are not expected
    in a search either). Placed after the locale middleware, so the message is in Chinese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            for text in (key, *values):
                message = control_character_error(text)
                if message:
                    if request.path.startswith("/api/"):
                        return JsonResponse(
                            {key or "detail": [message]},
                            status=400,
                            json_dumps_params={"ensure_ascii": False},
                        )
                    return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
