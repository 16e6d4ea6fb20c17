from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .middleware import session_remaining
from .navigation import nav_for, nav_menus
from .scoping import SESSION_KEY, user_stations


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menus": []}
    stations = list(user_stations(user))
    picked = request.session.get(SESSION_KEY)
    current = next((s for s in stations if s.pk == picked), stations[0] if stations else None)
    items = nav_for(user)
    return {
        "nav_items": items,
        "nav_menus": nav_menus(items, request.path),
        "user_stations": stations,
        "current_station": current,
    }


def session_clock(request: HttpRequest) -> dict[str, Any]:
    """Seconds left in the session, for the warning before it ends (static/js/app.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "session_remaining": session_remaining(request),
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }


def login_policy(request: HttpRequest) -> dict[str, Any]:
    """How many wrong passwords lock an account, and for how long (the login and lock-out pages)."""
    return {
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "password_min_length": next(
            (
                v["OPTIONS"]["min_length"]
                for v in settings.AUTH_PASSWORD_VALIDATORS
                if v["NAME"].endswith("MinimumLengthValidator") and "OPTIONS" in v
            ),
            8,
        ),
    }
