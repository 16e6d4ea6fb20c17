"""Readers cannot write a framework, its lines, notes or text, by GET or POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from performance.models import Framework, Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["supervisor", "bureau_supervisor", "minors_worker"])
def test_it_refuses_every_performance_write_to_readers(role, demo_2024, client_for):
    indicator = demo_2024.indicators.first()
    pk = demo_2024.pk
    posts = [
        reverse("performance:framework_create"),
        reverse("performance:framework_edit", args=[pk]),
        reverse("performance:indicator_add", args=[pk]),
        reverse("performance:indicator_edit", args=[pk, indicator.pk]),
        reverse("performance:indicator_delete", args=[pk, indicator.pk]),
        reverse("performance:form", args=[pk]),
        reverse("performance:narrative", args=[pk]),
        reverse("performance:framework_copy", args=[pk]),
        reverse("performance:framework_import", args=[pk]),
    ]
    counts = (Framework.objects.count(), Indicator.objects.count())
    client = client_for(role)
    for url in posts:
        response = client.post(url, {"year": 2031, "name": "x", f"deviation-{indicator.pk}": "x"})
        assert response.status_code == 403, url
    assert (Framework.objects.count(), Indicator.objects.count()) == counts
    indicator.refresh_from_db()
    assert indicator.deviation != "x"


def test_a_new_line_needs_the_add_permission(demo_2024, make_user, station):
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = make_user("station_staff", station, username="editor_only")
    user.user_permissions.add(
        Permission.objects.get(codename="change_indicator"),
        Permission.objects.get(codename="view_framework"),
    )
    client = Client()
    client.force_login(user)
    count = Indicator.objects.count()
    response = client.post(reverse("performance:indicator_add", args=[demo_2024.pk]), {"name": "x"})
    assert response.status_code == 403
    import_url = reverse("performance:framework_import", args=[demo_2024.pk])
    assert client.get(import_url).status_code == 403
    assert Indicator.objects.count() == count
    indicator = demo_2024.indicators.first()
    url = reverse("performance:indicator_edit", args=[demo_2024.pk, indicator.pk])
    assert client.get(url).status_code == 200
