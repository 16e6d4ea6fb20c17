"""The pinyin of the names of the persons recorded before the column (cases.names.name_pinyin),
so that a returning person of the archive is suggested at intake as one recorded later is."""

from django.db import migrations

from cases.names import name_pinyin

BATCH = 1000


def fill(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    batch = []
    for person in Person.objects.exclude(name="").only("pk", "name").iterator(chunk_size=BATCH):
        person.name_pinyin = name_pinyin(person.name)
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_update(batch, ["name_pinyin"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_pinyin"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_person_name_pinyin_stay_name_at_intake")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
