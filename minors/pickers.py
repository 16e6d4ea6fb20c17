"""What the minors pages' pickers search and how they label a child (rescue_station.pickers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from rescue_station.models import Station
from rescue_station.pickers import label_parts, name_search

from .models import Child


def child_label(child: Child) -> str:
    """Name · birth year · village · school: names repeat in a city's registry."""
    year = child.birth_date.year if child.birth_date else ""
    return label_parts(child.name, year, child.village, child.school)


def children_pickable(user: Any, station: Station) -> QuerySet[Child]:
    return Child.objects.for_user_at(user, station).order_by("name", "pk")


def child_search(q: str) -> Q:
    """Name (prefix, containment from three characters), ID number's start, village, school."""
    return (
        name_search(q, "name")
        | Q(id_number__istartswith=q)
        | Q(village__istartswith=q)
        | Q(school__istartswith=q)
    )
