from typing import Any

from django.http import HttpRequest

from .navigation import nav_for
from .scoping import SESSION_KEY, user_stations


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    stations = list(user_stations(user))
    picked = request.session.get(SESSION_KEY)
    current = next((s for s in stations if s.pk == picked), stations[0] if stations else None)
    return {"nav_items": nav_for(user), "user_stations": stations, "current_station": current}
