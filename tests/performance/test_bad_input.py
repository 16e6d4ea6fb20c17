"""Bad input through the pages changes nothing and says why in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from performance.models import Indicator

pytestmark = pytest.mark.django_db


def _data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None and name != "evidence_file":
            data[name] = value
    return data


def test_it_refuses_a_qualitative_score_outside_its_tier_band(demo_2024, client_for):
    indicator = demo_2024.indicators.filter(comparator="qualitative").first()
    before = (indicator.tier, indicator.tier_score)
    client = client_for("finance_officer")
    url = reverse("performance:indicator_edit", args=[demo_2024.pk, indicator.pk])
    data = _data(client.get(url).context["form"])
    data |= {"tier": "partly", "tier_score": str(indicator.weight)}  # full marks is not "partly"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "档" in response.content.decode() or "区间" in response.content.decode()
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert (indicator.tier, indicator.tier_score) == before
