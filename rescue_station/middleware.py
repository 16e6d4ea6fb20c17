from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import access_log

# Everything the pages use is served by the app itself: no CDN, no inline script.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


class NoStoreMiddleware:
    """Nothing the app itself answers may be kept by a browser or a proxy cache.

    Pages, exports, PDFs, photos and evidence files carry persons' and children's data; one
    middleware marks every response of the app (static files are answered before it, by WhiteNoise,
    and keep their long cache), so that a new view cannot forget it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.headers["Cache-Control"] = (
            "no-store, no-cache, must-revalidate, private, max-age=0"
        )
        response.headers["Pragma"] = "no-cache"
        return response


# Session keys of the timeout; the POST stashed across a re-login lives under PENDING_POST.
LOGIN_AT = "_session_login_at"
LAST_SEEN = "_session_last_seen"
PENDING_POST = "_session_pending_post"
# The last-seen time is written at most this often (seconds), not on every request.
LAST_SEEN_RESOLUTION = 30


def session_limits() -> tuple[int, int]:
    """(idle seconds, absolute seconds) of a session."""
    return settings.SESSION_IDLE_MINUTES * 60, settings.SESSION_MAX_HOURS * 3600


def session_remaining(request: HttpRequest, now: float | None = None) -> int:
    """Seconds until this session ends (idle or absolute, whichever comes first)."""
    now = time.time() if now is None else now
    idle, absolute = session_limits()
    last_seen = request.session.get(LAST_SEEN, now)
    login_at = request.session.get(LOGIN_AT, now)
    return max(0, int(min(last_seen + idle, login_at + absolute) - now))


@receiver(user_logged_in, dispatch_uid="rescue_station.start_session_clock")
def start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """End a session after an idle time and at most some hours after login.

    A form posted after the end is not lost: when its CSRF token is valid, its fields are kept in
    the new (anonymous) session, and after the same user logs in again the resume page posts them
    to where they were going. Files chosen in such a form cannot be kept and must be chosen again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        session = request.session
        session.setdefault(LOGIN_AT, now)
        session.setdefault(LAST_SEEN, now)
        # The warning's own check of the time left is not the user's activity, and it does not end
        # the session either: the next real request does, so that a form posted then is kept.
        passive = request.path == reverse("session_status")
        if session_remaining(request, now) <= 0:
            if passive or request.headers.get("Accept", "").startswith("application/json"):
                if not passive:
                    logout(request)
                return JsonResponse({"expired": True}, status=401)
            return self._expire(request, now)
        if not passive and now - session[LAST_SEEN] >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest, now: float) -> HttpResponse:
        idle, _absolute = session_limits()
        idle_end = request.session[LAST_SEEN] + idle
        user_pk = request.user.pk
        pending = None
        if request.method == "POST":
            pending = self._stash(request, user_pk, now)
        logout(request)
        if pending is not None:
            request.session[PENDING_POST] = pending
        if idle_end <= now:
            messages.warning(
                request,
                _("You were logged out after %(minutes)s minutes without activity.")
                % {"minutes": settings.SESSION_IDLE_MINUTES},
            )
        else:
            messages.warning(
                request,
                _("You were logged out: a session lasts at most %(hours)s hours.")
                % {"hours": settings.SESSION_MAX_HOURS},
            )
        if pending is not None:
            messages.info(
                request,
                _("What you entered has been kept: log in again and it will be saved."),
            )
            return redirect_to_login(reverse("session_resume"))
        return redirect_to_login(request.get_full_path())

    def _stash(self, request: HttpRequest, user_pk: Any, now: float) -> dict[str, Any] | None:
        """The posted fields, when the post is genuine (its CSRF token checks out)."""
        check = CsrfViewMiddleware(lambda r: HttpResponse())
        if check.process_view(request, lambda r: None, (), {}) is not None:
            return None
        path = request.get_full_path()
        if not url_has_allowed_host_and_scheme(path, {request.get_host()}):
            return None
        fields = [
            [key, value]
            for key, values in request.POST.lists()
            if key != "csrfmiddlewaretoken"
            for value in values
        ]
        return {
            "user": str(user_pk),
            "path": path,
            "fields": fields,
            "files": sorted(request.FILES.keys()),
            "at": now,
        }


class AccessLogMiddleware:
    """Writes the access-log rows of a served page (see rescue_station.access_log): the reads
    its view noted, or, for a case inspector, a row for any page of the inspected apps, so
    that a page added later is logged without a line of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        access_log.write_reads(request, response)
        return response
