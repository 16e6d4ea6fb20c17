"""Visits planned and done (issue 15, item 3): the rules, the figures, the pages and the due list."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from minors.models import Visit, VisitStatus
from minors.selectors import visits_due
from minors.services import visit_plan, visit_record, visit_record_done
from rescue_station import registry
from rescue_station.audit import EditConflict


@pytest.fixture
def worker(users):
    return users["minors_worker"]


@pytest.fixture
def today():
    return timezone.localdate()


def _zh(response) -> str:
    return response.content.decode()


def _errors(response) -> list[str]:
    """The messages under the form's fields."""
    return re.findall(r'<p class="error">(.*?)</p>', _zh(response), re.S)


# ---- the rules


def test_a_visit_may_be_planned_for_a_day_to_come_and_moves_no_due_date(
    station, make_child, worker, today
):
    child = make_child(station, registered_on=today - timedelta(days=10))
    child.next_visit_due = today + timedelta(days=170)
    child.save()
    visit = visit_plan(child=child, planned_on=today + timedelta(days=30), acting_user=worker)
    assert visit.status == VisitStatus.PLANNED and visit.visited_on is None
    assert visit.worker == worker
    child.refresh_from_db()
    assert child.next_visit_due == today + timedelta(days=170)
    assert visit.history.first().history_user == worker


def test_a_planned_visit_more_than_five_years_ahead_is_refused(station, make_child, worker, today):
    child = make_child(station)
    with pytest.raises(ValidationError) as error:
        visit_plan(child=child, planned_on=today + timedelta(days=6 * 366), acting_user=worker)
    assert "planned_on" in error.value.message_dict
    assert not Visit.objects.exists()


def test_a_future_date_is_refused_as_done(station, make_child, worker, today):
    child = make_child(station)
    with pytest.raises(ValidationError) as error:
        visit_record(child=child, visited_on=today + timedelta(days=1), acting_user=worker)
    assert "visited_on" in error.value.message_dict
    planned = visit_plan(child=child, planned_on=today + timedelta(days=2), acting_user=worker)
    with pytest.raises(ValidationError):
        visit_record_done(visit=planned, visited_on=today + timedelta(days=2), acting_user=worker)
    planned.refresh_from_db()
    assert planned.status == VisitStatus.PLANNED and planned.visited_on is None


def test_recording_a_planned_visit_done_moves_the_due_date_and_keeps_the_history(
    station, make_child, worker, today
):
    child = make_child(station, registered_on=today - timedelta(days=400), risk_level="high")
    planned = visit_plan(child=child, planned_on=today, acting_user=worker)
    done = visit_record_done(
        visit=planned,
        visited_on=today - timedelta(days=1),
        findings="监护情况稳定",
        acting_user=worker,
        expected_version=planned.version,
    )
    done.refresh_from_db()
    assert (done.status, done.visited_on, done.findings) == (
        VisitStatus.DONE,
        today - timedelta(days=1),
        "监护情况稳定",
    )
    child.refresh_from_db()
    assert child.next_visit_due == today - timedelta(days=1) + timedelta(days=30)  # high risk
    assert [h.status for h in done.history.order_by("history_date")] == ["planned", "done"]


def test_a_visit_done_cannot_be_recorded_done_again(station, make_child, worker, today):
    visit = visit_record(child=make_child(station), visited_on=today, acting_user=worker)
    with pytest.raises(ValidationError):
        visit_record_done(visit=visit, visited_on=today, acting_user=worker)


def test_recording_done_from_a_stale_version_is_refused(station, make_child, worker, today):
    planned = visit_plan(child=make_child(station), planned_on=today, acting_user=worker)
    loaded = planned.version
    Visit.objects.filter(pk=planned.pk).update(version=loaded + 1)  # a colleague saved since
    with pytest.raises(EditConflict):
        visit_record_done(
            visit=planned, visited_on=today, acting_user=worker, expected_version=loaded
        )
    assert Visit.objects.get(pk=planned.pk).status == VisitStatus.PLANNED


def test_the_database_refuses_a_done_visit_without_a_date(station, make_child, today):
    from django.db import IntegrityError, transaction

    child = make_child(station)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(child=child, status="done", planned_on=today)


# ---- the figures


def test_a_planned_visit_counts_in_no_figure(station, make_child, worker):
    planned_child, visited_child = make_child(station), make_child(station)
    # A plan dated in the period (the rules allow a day passed: an overdue plan).
    visit_plan(child=planned_child, planned_on=date(2024, 6, 1), acting_user=worker)
    visit_record(child=visited_child, visited_on=date(2024, 6, 1), acting_user=worker)
    period = (date(2024, 1, 1), date(2024, 12, 31))
    assert registry.compute("minors.children_visited", station, *period) == 1
    assert registry.compute("minors.children_cared_for", station, *period) == 1
    planned = Visit.objects.get(child=planned_child)
    visit_record_done(visit=planned, visited_on=date(2024, 6, 2), acting_user=worker)
    assert registry.compute("minors.children_visited", station, *period) == 2


# ---- the due list


def test_the_due_list_shows_planned_and_overdue_visits_of_the_station_worked_in(
    station, other_station, make_child, worker, today
):
    soon = make_child(station, name="小计划")
    late = make_child(station, name="小过期")
    unplanned = make_child(station, name="小未排")
    unplanned.next_visit_due = today - timedelta(days=3)
    unplanned.save()
    not_due = make_child(station, name="小不急")
    not_due.next_visit_due = today + timedelta(days=30)
    not_due.save()
    elsewhere = make_child(other_station, name="外站儿童")
    visit_plan(child=soon, planned_on=today + timedelta(days=4), acting_user=worker)
    visit_plan(child=late, planned_on=today - timedelta(days=2), acting_user=worker)
    visit_plan(child=elsewhere, planned_on=today + timedelta(days=1), acting_user=worker)

    lines = visits_due(worker, station)
    assert [(line.child.name, line.state) for line in lines] == [
        ("小未排", "overdue"),
        ("小过期", "overdue"),
        ("小计划", "planned"),
    ]
    assert lines[2].visit.worker == worker and lines[2].on == today + timedelta(days=4)
    assert [line.child.name for line in visits_due(worker, station, state="planned")] == ["小计划"]


def test_a_child_with_a_visit_planned_is_not_listed_again_as_unplanned(
    station, make_child, worker, today
):
    child = make_child(station)
    child.next_visit_due = today - timedelta(days=3)
    child.save()
    visit_plan(child=child, planned_on=today + timedelta(days=1), acting_user=worker)
    assert [(line.child, line.state) for line in visits_due(worker, station)] == [
        (child, "planned")
    ]


def test_the_due_page_labels_each_line_in_words(client_for, station, make_child, worker, today):
    visit_plan(child=make_child(station, name="小计划"), planned_on=today, acting_user=worker)
    late = make_child(station, name="小过期")
    late.next_visit_due = today - timedelta(days=1)
    late.save()
    response = client_for("minors_worker").get(
        reverse("minors:visits_due"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = _zh(response)
    assert response.status_code == 200
    assert "已计划" in html and "已超期" in html and "未安排走访" in html
    assert str(worker) in html
    assert "外站" not in html


def test_the_due_page_filters_by_status_through_its_filter_form(
    client_for, station, make_child, worker, today
):
    visit_plan(child=make_child(station, name="小计划"), planned_on=today, acting_user=worker)
    late = make_child(station, name="小过期")
    late.next_visit_due = today - timedelta(days=1)
    late.save()
    client = client_for("minors_worker")
    url = reverse("minors:visits_due")
    planned = client.get(url, {"state": "planned"})
    assert [line.child.name for line in planned.context["page_obj"]] == ["小计划"]
    assert 'value="planned" selected' in planned.content.decode()
    refused = client.get(url, {"state": "bogus"})
    assert {line.child.name for line in refused.context["page_obj"]} == {"小计划", "小过期"}
    assert "state" in refused.context["filter_form"].errors


def test_a_planned_visit_of_another_station_is_invisible(
    client_for, other_station, make_child, worker, today
):
    planned = visit_plan(
        child=make_child(other_station, name="外站儿童"), planned_on=today, acting_user=None
    )
    client = client_for("minors_worker")
    assert "外站儿童" not in _zh(client.get(reverse("minors:visits_due")))
    url = reverse("minors:visit_done", args=[planned.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"visited_on": str(today), "version": "0"}).status_code == 404
    assert Visit.objects.get(pk=planned.pk).status == VisitStatus.PLANNED


# ---- the pages


def _plan_url(child):
    return reverse("minors:child_record_add", args=[child.pk, "plan"])


def test_planning_through_the_page_and_the_child_s_page_shows_it(
    client_for, station, make_child, users, today
):
    child = make_child(station)
    client = client_for("minors_worker")
    day = today + timedelta(days=7)
    response = client.post(
        _plan_url(child),
        {"planned_on": str(day), "worker": users["minors_worker"].pk, "occasion": "routine"},
    )
    assert response.status_code == 302
    visit = Visit.objects.get(child=child)
    assert (visit.status, visit.planned_on, visit.visited_on) == ("planned", day, None)
    page = client.get(reverse("minors:child_detail", args=[child.pk]), HTTP_ACCEPT_LANGUAGE="zh")
    planned_rows = list(page.context["planned_visits"])
    assert planned_rows == [visit] and list(page.context["visits"]) == []
    assert reverse("minors:visit_done", args=[visit.pk]) in _zh(page)


@pytest.mark.parametrize(
    ("planned_on", "message"),
    [
        (-1, "计划走访日期须为今天或以后。"),
        (6 * 366, "年以后，请检查年份。"),  # more than five years ahead
        (None, "这个字段是必填项。"),
    ],
)
def test_the_plan_form_refuses_in_chinese(
    client_for, station, make_child, users, today, planned_on, message
):
    child = make_child(station)
    day = "" if planned_on is None else str(today + timedelta(days=planned_on))
    response = client_for("minors_worker").post(
        _plan_url(child),
        {"planned_on": day, "worker": users["minors_worker"].pk, "occasion": "routine"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert any(message in error for error in _errors(response)), _errors(response)
    assert not Visit.objects.exists()


def test_recording_a_planned_visit_done_through_the_page(
    client_for, station, make_child, users, today
):
    worker = users["minors_worker"]
    planned = visit_plan(child=make_child(station), planned_on=today, acting_user=worker)
    client = client_for("minors_worker")
    url = reverse("minors:visit_done", args=[planned.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="version"' in _zh(form)
    refused = client.post(
        url,
        {
            "visited_on": str(today + timedelta(days=1)),
            "worker": worker.pk,
            "occasion": "routine",
            "version": str(planned.version),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 200
    assert _errors(refused) == ["不能将今天以后的日期登记为已走访：请改为计划在该日走访。"]
    assert Visit.objects.get(pk=planned.pk).status == VisitStatus.PLANNED
    saved = client.post(
        url,
        {
            "visited_on": str(today),
            "worker": worker.pk,
            "occasion": "routine",
            "findings": "监护情况稳定",
            "version": str(planned.version),
        },
    )
    assert saved.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.visited_on, planned.findings) == ("done", today, "监护情况稳定")
    again = client.get(url)
    assert again.status_code == 302  # already done: back to the child


def test_recording_a_visit_done_at_once_refuses_a_future_date_in_chinese(
    client_for, station, make_child, users, today
):
    child = make_child(station)
    response = client_for("minors_worker").post(
        reverse("minors:child_record_add", args=[child.pk, "visit"]),
        {
            "visited_on": str(today + timedelta(days=3)),
            "occasion": "routine",
            "worker": users["minors_worker"].pk,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert _errors(response) == ["不能将今天以后的日期登记为已走访：请改为计划在该日走访。"]
    assert not Visit.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "station_staff", "finance_officer"])
def test_only_roles_that_edit_minors_plan_or_record_visits(
    client_for, station, make_child, users, today, role
):
    child = make_child(station)
    planned = visit_plan(child=child, planned_on=today, acting_user=users["minors_worker"])
    client = client_for(role)
    post = {"planned_on": str(today), "worker": users["minors_worker"].pk, "occasion": "routine"}
    assert client.post(_plan_url(child), post).status_code == 403
    done_url = reverse("minors:visit_done", args=[planned.pk])
    assert client.post(done_url, {"visited_on": str(today), "version": "0"}).status_code == 403
    assert Visit.objects.count() == 1
    assert Visit.objects.get().status == VisitStatus.PLANNED
