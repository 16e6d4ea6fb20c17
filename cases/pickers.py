"""What the cases pages' pickers search and how they label a record (rescue_station.pickers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from rescue_station.models import Station
from rescue_station.pickers import label_parts, name_search

from .models import CareInstitution, Person, Stay
from .selectors import can_see_minors


def person_label(person: Person) -> str:
    """Name · birth year (or estimated age) · hometown · placeholder number: two persons of the
    same name differ in one of them. A person who came as a minor (``was_minor``, annotated by
    ``persons_pickable`` for a reader who may not see minors) is shown by the placeholder only."""
    if getattr(person, "hidden_minor", False):
        return label_parts(_("(minor)"), person.placeholder_no)
    if person.birth_date:
        age = person.birth_date.year
    elif person.estimated_age is not None:
        age = _("aged about %(age)s") % {"age": person.estimated_age}
    else:
        age = ""
    return label_parts(
        person.name or person.placeholder_no or f"#{person.pk}",
        age,
        person.hometown,
        person.placeholder_no if person.name else "",
    )


def persons_pickable(user: Any, station: Station) -> QuerySet[Person]:
    """The persons of the station the user may choose, by name first."""
    persons = Person.objects.for_user_at(user, station)
    if not can_see_minors(user):
        persons = persons.annotate(
            hidden_minor=Exists(Stay.objects.filter(person=OuterRef("pk"), is_minor=True))
        )
    return persons.order_by("name", "placeholder_no", "pk")


def person_search(user: Any) -> Any:
    """Name, placeholder number or the start of the ID number; without the minors' permission a
    minor's name and ID number do not match (a match would tell who it is), as in the stay list."""
    identity = can_see_minors(user)

    def search(q: str) -> Q:
        by_identity = name_search(q, "name") | Q(id_number__istartswith=q)
        if not identity:
            by_identity &= Q(hidden_minor=False)
        return by_identity | name_search(q, "placeholder_no")

    return search


def institution_label(institution: CareInstitution) -> str:
    return label_parts(institution.name, institution.address, institution.contract_no)


def institutions_pickable(user: Any, station: Station) -> QuerySet[CareInstitution]:
    return CareInstitution.objects.for_user_at(user, station).order_by("name", "pk")


def institution_search(q: str) -> Q:
    return name_search(q, "name", "address", "contract_no")
