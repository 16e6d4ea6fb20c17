"""load_demo: idempotent, and unable to hurt a real station's database.

Each full load takes seconds, so each test loads the demo only as often as what it checks needs.
"""

import hashlib
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory, override_settings
from PIL import Image

from cases.models import Person, Stay
from performance.models import Evaluation
from rescue_station.models import Membership, Station, User
from rescue_station.roles import Role
from rescue_station.services import access_log_write

NO_DEBUG = "--allow-without-debug"


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if not m._meta.label.startswith(("sessions.", "admin."))
    }


def _load(*args: str) -> str:
    """Run load_demo (tests run with DEBUG off) and return what it wrote on stderr."""
    err = StringIO()
    call_command("load_demo", NO_DEBUG, *args, stdout=StringIO(), stderr=err)
    return err.getvalue()


def _stored(media_root: Path) -> dict[str, object]:
    """The demo's stored files and what the records say of them."""
    person = Person.objects.exclude(photo="").get()
    evaluation = Evaluation.objects.get(framework__station__code="zhuzhou", framework__year=2025)
    return {
        "photo": person.photo.name,
        "photo_bytes": (media_root / person.photo.name).read_bytes(),
        "pdf": evaluation.pdf.name,
        "pdf_bytes": (media_root / evaluation.pdf.name).read_bytes(),
        "sha256": evaluation.pdf_sha256,
        "finalised_at": evaluation.finalised_at,
        "snapshot": evaluation.snapshot,
    }


def _user_state(user: User) -> dict[str, object]:
    user = User.objects.get(pk=user.pk)
    return {
        "password": user.password,
        "role": user.role,
        "full_name": user.full_name,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_demo": user.is_demo,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "own_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
        "all_permissions": sorted(user.get_all_permissions()),
        "stations": sorted(user.memberships.values_list("station__code", flat=True)),
        "history": user.history.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_and_reset_starts_afresh(
    settings, media_root, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # as `make run` runs it: no flag needed
    call_command("load_demo", stdout=StringIO())
    first, files = _counts(), _stored(media_root)
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first  # history rows included: nothing was finalised or written again
    assert _stored(media_root) == files
    # A read logged on the demo station goes with the demo's records on reset.
    access_log_write(
        user=User.objects.get(username="supervisor"),
        station_id=Station.objects.get(code="zhuzhou").pk,
        record_label="演示",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--reset", stdout=StringIO())
    after_reset = _counts()
    # History rows record every write, so only the records themselves are compared after a reset.
    assert {k: v for k, v in after_reset.items() if ".Historical" not in k} == {
        k: v for k, v in first.items() if ".Historical" not in k
    }
    # The reset removed the demo's stored files; the new load stored its own.
    assert not (media_root / files["photo"]).exists()
    assert not (media_root / files["pdf"]).exists()
    again = _stored(media_root)
    assert again["photo"] != files["photo"] and again["photo_bytes"] == files["photo_bytes"]


@pytest.mark.django_db
def test_the_demo_has_a_photo_and_a_finalised_2025_with_its_notes(media_root):
    _load()
    person = Person.objects.exclude(photo="").get()
    assert not person.identified and not person.stays.filter(is_minor=True).exists()
    with Image.open(media_root / person.photo.name) as image:
        image.verify()
        assert image.format == "JPEG" and image.size == (240, 320)
    evaluation = Evaluation.objects.get(framework__station__code="zhuzhou", framework__year=2025)
    assert evaluation.is_final and evaluation.finalised_by.username == "supervisor"
    pdf = (media_root / evaluation.pdf.name).read_bytes()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == evaluation.pdf_sha256
    frozen = evaluation.snapshot["evaluation"]
    assert frozen["status"] == "final" and frozen["total"] == "89.7"
    losing = [i for i in frozen["indicators"] if Decimal(i["score"]) < Decimal(i["weight"])]
    assert {i["name"] for i in losing} == {"街面巡查救助次数", "安全事故发生率", "预算执行率"}
    assert all(i["deviation"] and i["measure"] for i in losing)
    assert not {f["code"] for f in frozen["findings"]} & {"deviation.missing", "measure.missing"}
    assert evaluation.framework.budget_deviation and evaluation.framework.budget_measure
    draft_2024 = Evaluation.objects.get(framework__station__code="zhuzhou", framework__year=2024)
    assert not draft_2024.is_final and not draft_2024.pdf


@pytest.mark.django_db
def test_load_demo_creates_the_station_and_one_login_per_role(settings):
    settings.DEMO_PASSWORD = "demo-pass-42"
    with override_settings(DEBUG=False):
        call_command("load_demo", NO_DEBUG, stdout=StringIO())
    station = Station.objects.get(code="zhuzhou")
    assert station.name == "株洲市救助管理站" and station.is_demo
    for role in Role:
        user = authenticate(
            RequestFactory().post("/accounts/login/"), username=role.value, password="demo-pass-42"
        )
        assert user is not None and user.role == role.value and user.is_demo
        assert user.memberships.filter(station=station).exists()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_it_refuses_to_run_with_debug_off_without_the_flag():
    with pytest.raises(CommandError, match=r"DEBUG is off.*--allow-without-debug"):
        call_command("load_demo", stdout=StringIO())
    assert not Station.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_it_leaves_a_real_admin_and_supervisor_untouched_and_loads_the_rest(
    make_user, other_station
):
    admin = make_user(Role.ADMIN, other_station)
    admin.is_superuser = True
    admin.save()
    supervisor = make_user(Role.SUPERVISOR, other_station)
    supervisor.user_permissions.add(Permission.objects.get(codename="view_membership"))
    before = {u.username: _user_state(u) for u in (admin, supervisor)}

    warning = _load()

    assert {u.username: _user_state(u) for u in (admin, supervisor)} == before
    assert "Left untouched: admin, supervisor," in warning and "not created by load_demo" in warning
    station = Station.objects.get(code="zhuzhou", is_demo=True)
    assert not Membership.objects.filter(station=station, user__is_demo=False).exists()
    demo_users = User.objects.filter(is_demo=True)
    assert sorted(demo_users.values_list("username", flat=True)) == sorted(
        r.value for r in Role if r not in (Role.ADMIN, Role.SUPERVISOR)
    )
    assert all(u.memberships.filter(station=station).exists() for u in demo_users)
    # The rest of the demo is there, its work recorded under demo users only.
    assert Stay.objects.filter(station=station, admitted_on__year=2024).count() == 1826 + 3
    evaluation = Evaluation.objects.get(framework__station=station, framework__year=2025)
    assert evaluation.is_final and evaluation.finalised_by.is_demo
    assert not Stay.objects.filter(extensions__decided_by__is_demo=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("args", [[], ["--reset"]], ids=["load", "reset"])
def test_it_refuses_a_station_coded_zhuzhou_that_it_did_not_create(station, users, args):
    Person.objects.create(station=station, name="张三")
    before = (_counts(), Station.objects.values().get(pk=station.pk))
    with pytest.raises(
        CommandError, match=r"'zhuzhou' exists .* not created by load_demo.*--adopt"
    ):
        _load(*args)
    assert (_counts(), Station.objects.values().get(pk=station.pk)) == before
    assert User.objects.get(username="admin").check_password("test-pass-123")


@pytest.mark.django_db
def test_it_refuses_a_station_named_like_the_demo_under_another_code(station):
    Station.objects.filter(pk=station.pk).update(code="zz")
    with pytest.raises(CommandError, match="named 株洲市救助管理站 exists with the code 'zz'"):
        _load()
    assert list(Station.objects.values_list("code", flat=True)) == ["zz"]


@pytest.mark.django_db
def test_adopt_takes_over_a_demo_database_made_before_the_markers(station, users, settings):
    settings.DEMO_PASSWORD = "demo-pass-42"
    warning = _load("--adopt")
    assert warning == ""
    station.refresh_from_db()
    assert station.is_demo
    for role in Role:
        user = User.objects.get(username=role.value)
        assert user.is_demo and user.check_password("demo-pass-42")
    assert Stay.objects.filter(station=station).exists()
    assert Evaluation.objects.get(framework__station=station, framework__year=2025).is_final


@pytest.mark.django_db
def test_every_demo_record_has_its_creation_row_in_the_history(settings):
    from simple_history.manager import HistoryManager

    from demo.stations import DEMO_APPS, _path_to_station

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    station = Station.objects.get(code="zhuzhou")
    checked = 0
    for model in apps.get_models():
        history = getattr(model, "history", None)
        path = _path_to_station(model)
        if not isinstance(history, HistoryManager) or model._meta.app_label not in DEMO_APPS:
            continue
        if model._meta.label in {"budget.FundingSource", "budget.FunctionClass"}:
            continue  # reference data of every station, seeded by migrations
        assert path, f"{model._meta.label} has history but no way to its station"
        records = model._base_manager.filter(**{path: station})
        with_history = records.filter(pk__in=history.model.objects.values("id"))
        assert with_history.count() == records.count(), model._meta.label
        checked += records.count()
    assert checked > 10_000
    stay = Stay.objects.filter(station=station).order_by("pk").first()
    created = stay.history.earliest("history_date")
    assert created.history_type == "+"


@pytest.mark.django_db
def test_the_finalised_demo_report_reads_in_chinese_whatever_language_loaded_it(media_root):
    """Its findings' messages are frozen with it: loaded from a thread left in English (a test
    after an English request, a shell), they were frozen in English."""
    from django.utils import translation

    with translation.override("en"):
        _load()
    snapshot = Evaluation.objects.get(status="final").snapshot
    messages = [f["message"] for f in snapshot["evaluation"]["findings"]]
    assert messages and all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in messages)
