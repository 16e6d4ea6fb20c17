"""Placeholder numbers held by two persons of one station get renumbered, before the next migration
makes the database refuse a number twice.

Until now a placeholder number (无名氏-YYYY-NNNN) was "the year's highest + 1", read without a
lock: two intakes of unidentified persons at the same moment could get the same number. Of the
persons of a station holding one number, the first registered (lowest id) keeps it; each other
gets the next free number of the same year. The new number is written to the person's history
(so the history shows the old number and the new one, with the reason), and each renumbering is
printed, for the station to correct the number on paper records (the intake form). Nothing is
lost and a rerun finds nothing to do; the reverse changes nothing.
"""

import re

from django.db import migrations
from django.db.models import Count
from django.utils import timezone

PLACEHOLDER = re.compile(r"^无名氏-(\d{4})-(\d+)$")
REASON = "placeholder renumbered"


def _next_free(Person, station_id: int, year: int) -> str:
    prefix = f"无名氏-{year}-"
    taken = Person.objects.filter(station_id=station_id, placeholder_no__startswith=prefix)
    numbers = [
        int(p[len(prefix) :])
        for p in taken.values_list("placeholder_no", flat=True)
        if p[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _write_history(Person, HistoricalPerson, person) -> None:
    names = [f.attname for f in Person._meta.concrete_fields]
    values = Person.objects.filter(pk=person.pk).values(*names).get()
    HistoricalPerson.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=REASON,
    )


def renumber_duplicates(apps, schema_editor) -> None:
    Person = apps.get_model("cases", "Person")
    HistoricalPerson = apps.get_model("cases", "HistoricalPerson")
    duplicated = (
        Person.objects.exclude(placeholder_no="")
        .values("station_id", "placeholder_no")
        .annotate(holders=Count("id"))
        .filter(holders__gt=1)
        .order_by("station_id", "placeholder_no")
    )
    for group in list(duplicated):
        holders = Person.objects.filter(
            station_id=group["station_id"], placeholder_no=group["placeholder_no"]
        ).order_by("pk")
        for person in list(holders)[1:]:
            old = person.placeholder_no
            match = PLACEHOLDER.match(old)
            year = int(match[1]) if match else timezone.localtime(person.created_at).year
            person.placeholder_no = _next_free(Person, person.station_id, year)
            person.version += 1
            person.save(update_fields=["placeholder_no", "version"])
            _write_history(Person, HistoricalPerson, person)
            print(
                f"\n  person #{person.pk} (station #{person.station_id}): "
                f"{old} was also person #{holders.first().pk}'s, now {person.placeholder_no}"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_record_versions"),
    ]

    operations = [
        migrations.RunPython(renumber_duplicates, migrations.RunPython.noop, elidable=True),
    ]
