"""A page links to another only when its reader may open it: navigation.may_open reads the
view's own checks (its decorators, a kind's permission), the same the view makes."""

import pytest
from django.urls import reverse

from rescue_station.navigation import may_open


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        ("supervisor", "/minors/cases/1/counselling/", False),  # reads minors, writes nothing
        ("minors_worker", "/minors/cases/1/counselling/", True),
        ("supervisor", "/minors/cases/1/", True),
        ("supervisor", "/minors/children/1/visit/", False),  # the kind's permission
        ("minors_worker", "/minors/children/1/visit/", True),
        ("bureau_supervisor", "/cases/stays/1/", False),  # no persons' records
        ("station_staff", "/cases/stays/1/", True),
        ("station_staff", "/no/such/page/", False),
    ],
)
def test_it_answers_as_the_view_would(users, role, path, expected):
    assert may_open(users[role], path) is expected


def test_the_access_log_does_not_link_a_form_its_reader_may_not_open(client_for, users, station):
    from rescue_station.models import AccessKind, AccessLog

    AccessLog.objects.create(
        station=station,
        user=users["minors_worker"],
        kind=AccessKind.RECORD,
        record_type="minors.minorcase",
        record_id=1,
        record_label="小红",
        path="/minors/cases/1/counselling/",
    )
    html = client_for("supervisor").get(reverse("access_log")).content.decode()
    assert "小红" in html and 'href="/minors/cases/1/counselling/"' not in html
    html = client_for("minors_worker").get(reverse("access_log"))
    if html.status_code == 200:
        assert 'href="/minors/cases/1/counselling/"' in html.content.decode()
