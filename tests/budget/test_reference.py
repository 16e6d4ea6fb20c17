import pytest
from django.urls import reverse

from budget.api import SOURCES
from budget.models import FunctionClass, FundingSource

# The table of domain/budget.md.
TABLE = [
    "208",
    "20802",
    "2080201",
    "2080505",
    "2080506",
    "2101102",
    "2210201",
    "20805",
    "2080704",
    "2080705",
    "2081099",
    "2081901",
    "2082001",
    "2082002",
    "2082101",
    "2082501",
    "2296002",
]


@pytest.mark.django_db
def test_the_migration_seeds_the_six_sources_and_the_function_codes():
    assert list(FundingSource.objects.values_list("name", flat=True)) == list(SOURCES)
    codes = set(FunctionClass.objects.values_list("code", flat=True))
    assert set(TABLE) <= codes
    assert all(len(c) in (3, 5, 7) for c in codes)
    assert FunctionClass.objects.get(code="2082002").name == "流浪乞讨人员救助支出"


@pytest.mark.parametrize("model", ["fundingsource", "functionclass", "project", "budgetline"])
def test_the_admin_edits_the_reference_data(client_for, reference, model):
    client = client_for("admin")
    assert client.get(reverse(f"admin:budget_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:budget_{model}_add")).status_code == 200


def test_a_function_code_is_3_5_or_7_digits(reference):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        FunctionClass(code="20820011", name="x").full_clean()
