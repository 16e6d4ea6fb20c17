"""The demo's records obey every rule of the models: its ID numbers agree with its persons."""

from io import StringIO

from django.core.management import call_command

from cases.models import Person
from minors.models import Child
from rescue_station.checks import project_models
from rescue_station.validators import id_number_birth_date, id_number_sex


def test_every_demo_record_passes_the_rules_and_every_id_number_agrees(db):
    call_command("load_demo", "--allow-without-debug", stdout=StringIO(), stderr=StringIO())
    with_id = [*Person.objects.exclude(id_number=""), *Child.objects.exclude(id_number="")]
    assert len(with_id) > 1000
    disagree = [
        p
        for p in with_id
        if (id_number_birth_date(p.id_number), id_number_sex(p.id_number))
        != (p.birth_date, p.gender)
    ]
    assert disagree == []
    problems = {
        f"{model._meta.label} {record.pk}": lines
        for model in project_models()
        for record in model._default_manager.iterator()
        if (lines := record.plausibility_problems())
    }
    assert problems == {}
