"""Versions: a record is saved only from the version it was read with, compared and incremented
in one UPDATE; a refusal says who changed what and when, and saves nothing."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from cases import services as cases_services
from cases.models import Person, Ticket
from performance import services as performance_services
from performance.models import Indicator
from rescue_station.audit import EditConflict, check_version, history_rows, save_audited
from rescue_station.validators import id_check_digit, mask_id_number
from tests.factories import TZ
from tests.html_forms import error_blocks, form_posting_to, page_forms

RECEIVED = datetime(2024, 5, 1, 9, tzinfo=TZ)


def _ticket(station, user=None) -> Ticket:
    ticket = Ticket(
        station=station,
        channel="hotline",
        received_at=RECEIVED,
        deadline=RECEIVED + timedelta(days=1),
        summary="桥下有人露宿",
    )
    return cases_services.record_save(obj=ticket, acting_user=user)


@pytest.fixture
def colleague(make_user, station):
    user = make_user("station_staff", station, username="colleague")
    user.full_name = "王同事"
    user.save()
    return user


def test_each_save_counts_a_version_kept_in_the_history(station, users):
    ticket = _ticket(station, users["station_staff"])
    assert ticket.version == 0
    ticket.summary = "桥下两人露宿"
    save_audited(ticket, acting_user=users["station_staff"], expected_version=0)
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version == 1
    assert list(ticket.history.values_list("version", flat=True)) == [1, 0]


def test_a_save_from_an_older_version_is_refused_and_saves_nothing(station, users, colleague):
    mine = _ticket(station, users["station_staff"])
    theirs = Ticket.objects.get(pk=mine.pk)
    theirs.summary = "桥下一人露宿，已劝导"
    save_audited(theirs, acting_user=colleague)
    mine.summary = "我的摘要"
    with pytest.raises(EditConflict) as refused:
        save_audited(mine, acting_user=users["station_staff"])
    conflict = refused.value
    assert (conflict.expected_version, conflict.current_version) == (0, 1)
    [save] = conflict.saves
    assert save.who == colleague and ("内容摘要", "桥下一人露宿，已劝导") in save.fields
    assert (
        "王同事" in conflict.messages[1]
        and "内容摘要改为“桥下一人露宿，已劝导”" in conflict.messages[1]
    )
    now = Ticket.objects.get(pk=mine.pk)
    assert (now.summary, now.version, now.history.count()) == ("桥下一人露宿，已劝导", 1, 2)


def test_the_form_s_version_decides_not_the_one_read_in_the_request(station, users):
    ticket = _ticket(station)
    save_audited(ticket, acting_user=None)  # version 1, read in this request
    ticket.summary = "从版本0的表单保存"
    with pytest.raises(EditConflict):
        save_audited(ticket, acting_user=None, expected_version=0)
    assert Ticket.objects.get(pk=ticket.pk).summary == "桥下有人露宿"


def test_a_refusal_masks_an_id_number_as_lists_do(station, users, colleague):
    first17 = "43020219800101123"
    id_number = first17 + id_check_digit(first17)
    person = cases_services.stay_register(
        station=station,
        acting_user=users["station_staff"],
        admitted_at=RECEIVED,
        source="self",
        person_data={"name": "张三"},
    ).person
    cases_services.person_identify(
        person=Person.objects.get(pk=person.pk),
        acting_user=colleague,
        data={"id_number": id_number},
        identified=True,
    )
    with pytest.raises(EditConflict) as refused:
        cases_services.person_identify(
            person=person, acting_user=users["station_staff"], data={}, identified=True
        )
    text = " ".join(refused.value.messages)
    assert id_number not in text and mask_id_number(id_number) in text


def test_a_record_deleted_meanwhile_is_reported_as_deleted(station, users, colleague):
    framework = performance_services.framework_create(
        station=station, year=2024, acting_user=users["finance_officer"]
    )
    line = performance_services.indicator_save(
        framework=framework,
        acting_user=users["finance_officer"],
        level1="产出指标",
        level2="数量指标",
        name="救助人次",
        comparator=">=",
        target="100",
        weight="10",
    )
    performance_services.indicator_delete(
        indicator=Indicator.objects.get(pk=line.pk), acting_user=colleague
    )
    line.unit = "人次"
    with pytest.raises(EditConflict) as refused:
        save_audited(line, acting_user=users["finance_officer"])
    assert refused.value.deleted and refused.value.current_version is None
    assert "他人已删除了这条记录" in refused.value.messages[0]
    assert "王同事" in refused.value.messages[1] and "删除" in refused.value.messages[1]
    assert not Indicator.objects.filter(pk=line.pk).exists()


def test_of_two_decisions_on_one_extension_the_later_is_refused(station, users, make_user):
    from cases.models import StayExtension

    stay = cases_services.stay_register(
        station=station,
        acting_user=users["station_staff"],
        admitted_at=RECEIVED,
        source="self",
        identified=False,
    )
    cases_services.extension_request(
        stay=stay, acting_user=users["station_staff"], days=5, reason="待寻亲"
    )
    head, deputy = users["supervisor"], make_user("supervisor", station, username="deputy")
    mine, theirs = StayExtension.objects.get(), StayExtension.objects.get()  # both read "pending"
    cases_services.extension_decide(
        extension=theirs, acting_user=deputy, approve=False, reason="家属已联系上，无需延期"
    )
    with pytest.raises(EditConflict):
        cases_services.extension_decide(extension=mine, acting_user=head, approve=True)
    assert StayExtension.objects.get().status == "refused"


def test_the_history_does_not_show_the_version_as_a_change(station, users):
    ticket = _ticket(station)
    ticket.summary = "改"
    save_audited(ticket, acting_user=users["station_staff"])
    changes = [str(c["field"]) for c in history_rows(ticket)[0]["changes"]]
    assert changes == ["内容摘要"]


def test_only_a_versioned_record_takes_an_expected_version(station):
    with pytest.raises(TypeError):
        save_audited(station, acting_user=None, expected_version=0)


def test_the_increment_is_done_by_the_database(station):
    ticket = _ticket(station)
    stale = Ticket.objects.get(pk=ticket.pk)
    with transaction.atomic():
        check_version(ticket)
    assert Ticket.objects.get(pk=ticket.pk).version == 1
    with pytest.raises(EditConflict), transaction.atomic():
        check_version(stale)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with their own connections")
def test_of_two_writers_from_one_version_the_second_waits_and_is_refused(station):
    ticket = _ticket(station)
    first_saved, release = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def first() -> None:
        try:
            mine = Ticket.objects.get(pk=ticket.pk)
            mine.summary = "第一位"
            with transaction.atomic():
                save_audited(mine, acting_user=None)
                first_saved.set()
                release.wait(10)  # hold the row while the second one tries
            outcome["first"] = "saved"
        finally:
            connections.close_all()

    def second() -> None:
        try:
            mine = Ticket.objects.get(pk=ticket.pk)  # read before the first commits: version 0
            first_saved.wait(10)
            threading.Timer(0.5, release.set).start()
            mine.summary = "第二位"
            try:
                save_audited(mine, acting_user=None)
                outcome["second"] = "saved"
            except EditConflict:
                outcome["second"] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == {"first": "saved", "second": "refused"}
    now = Ticket.objects.get(pk=ticket.pk)
    assert (now.summary, now.version) == ("第一位", 1)


# ---- a removal and an import from a stale page


@pytest.fixture
def line(station, users):
    framework = performance_services.framework_create(
        station=station, year=2024, acting_user=users["finance_officer"]
    )
    return performance_services.indicator_save(
        framework=framework,
        acting_user=users["finance_officer"],
        level1="产出指标",
        level2="数量指标",
        name="救助人次",
        comparator=">=",
        target="100",
        unit="人次",
        weight="10",
    )


@pytest.fixture
def finance_colleague(make_user, station):
    user = make_user("finance_officer", station, username="finance-colleague")
    user.full_name = "王同事"
    user.save()
    return user


def test_a_line_changed_since_its_page_was_loaded_is_not_removed(
    line, client_for, finance_colleague
):
    client = client_for("finance_officer")
    page = client.get(reverse("performance:indicator_edit", args=[line.framework_id, line.pk]))
    delete_url = reverse("performance:indicator_delete", args=[line.framework_id, line.pk])
    data = form_posting_to(page.content.decode(), delete_url)
    performance_services.indicator_save(
        framework=line.framework,
        indicator=Indicator.objects.get(pk=line.pk),
        acting_user=finance_colleague,
        target="120",
    )
    response = client.post(delete_url, data, follow=True)
    assert Indicator.objects.get(pk=line.pk).target == "120"
    assert response.redirect_chain[-1][0].endswith(f"/indicators/{line.pk}/")
    assert (
        "王同事" in response.content.decode() and "年度指标值改为“120”" in response.content.decode()
    )


def test_an_import_is_refused_when_a_line_changed_after_the_preview(
    line, client_for, finance_colleague
):
    client = client_for("finance_officer")
    sheet = client.get(reverse("performance:framework_export", args=[line.framework_id])).content
    url = reverse("performance:framework_import", args=[line.framework_id])
    preview = client.post(url, {"file": SimpleUploadedFile("f.xlsx", sheet)})
    confirm = next(f for f in page_forms(preview.content.decode()) if "token" in f["fields"])
    performance_services.indicator_notes_set(
        indicator=Indicator.objects.get(pk=line.pk),
        deviation="B：来站人数下降",
        measure="",
        acting_user=finance_colleague,
    )
    performance_services.indicator_save(
        framework=line.framework,
        indicator=Indicator.objects.get(pk=line.pk),
        acting_user=finance_colleague,
        target="120",
    )
    refused = client.post(url, confirm["fields"])
    assert refused.status_code == 200
    errors = error_blocks(refused.content.decode())
    assert "“救助人次”" in errors and "年度指标值改为“120”" in errors, errors
    assert Indicator.objects.get(pk=line.pk).target == "120"  # nothing imported
    # The preview again, with the version now seen: confirming imports the sheet.
    again = next(f for f in page_forms(refused.content.decode()) if "token" in f["fields"])
    assert client.post(url, again["fields"]).status_code == 302
    assert Indicator.objects.get(name="救助人次").target == "100"


# ---- the Django admin


def test_the_admin_refuses_a_stale_change_form_and_counts_its_saves(
    station, users, colleague, make_user
):
    from cases.models import GatheringArea

    area = cases_services.record_save(
        obj=GatheringArea(station=station, name="站前广场"), acting_user=None
    )
    admin = Client()
    admin.force_login(users["admin"])
    url = reverse("admin:cases_gatheringarea_change", args=[area.pk])
    data = form_posting_to(admin.get(url).content.decode(), "")
    assert data["version"] == ["0"]
    fresh = GatheringArea.objects.get(pk=area.pk)
    fresh.name = "火车站北广场"
    cases_services.record_save(obj=fresh, acting_user=colleague)
    data["name"] = ["管理员改的名称"]
    response = admin.post(url, data)
    assert response.status_code == 200
    refusal = response.content.decode().split('class="errorlist nonfield"')[1].split("</ul>")[0]
    assert "王同事" in refusal and "名称改为“火车站北广场”" in refusal
    assert GatheringArea.objects.get(pk=area.pk).name == "火车站北广场"
    # Saved from the version now shown: the admin's save counts a version, as the pages' do.
    data = form_posting_to(response.content.decode(), "")
    assert data["version"] == ["1"]
    assert admin.post(url, data).status_code == 302
    assert GatheringArea.objects.get(pk=area.pk).version == 2


def test_the_admin_reverts_to_an_old_version_from_the_version_it_has_now(station, users, colleague):
    from cases.models import GatheringArea

    area = cases_services.record_save(
        obj=GatheringArea(station=station, name="站前广场"), acting_user=None
    )
    fresh = GatheringArea.objects.get(pk=area.pk)
    fresh.name = "火车站北广场"
    cases_services.record_save(obj=fresh, acting_user=colleague)
    admin = Client()
    admin.force_login(users["admin"])
    first = area.history.earliest("history_date")
    url = reverse("admin:cases_gatheringarea_simple_history", args=[area.pk, first.history_id])
    data = form_posting_to(admin.get(url).content.decode(), "")
    assert data["name"] == ["站前广场"] and data["version"] == [
        "1"
    ]  # the old values, today's version
    assert admin.post(url, {**data, "_save": "1"}).status_code == 302
    now = GatheringArea.objects.get(pk=area.pk)
    assert (now.name, now.version) == ("站前广场", 2)
