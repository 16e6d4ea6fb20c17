"""Pickers in the browser: type part of a name, pick the record the label tells apart, save, and
the record is linked (the long stay's person, an activity's participants)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from cases.models import LongStay, Person
from minors.models import Activity, Child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(page, field: str, typed: str, label: str) -> None:
    control = page.get_by_test_id(f"picker-{field}").locator("input")
    control.click()
    control.press_sequentially(typed, delay=60)
    option = page.locator(".ts-dropdown .option", has_text=label)
    expect(option).to_have_count(1)
    option.click()


def test_the_long_stay_person_is_picked_by_typing(users, station, login, page, live_server):
    Person.objects.create(
        station=station, name="张军", birth_date=date(1958, 3, 1), hometown="江西省莲花县"
    )
    meant = Person.objects.create(
        station=station, name="张军", birth_date=date(2005, 6, 1), hometown="湖南省株洲市荷塘区"
    )
    Person.objects.bulk_create(Person(station=station, name=f"李{i:03}") for i in range(300))
    login("station_staff")
    page.goto(f"{live_server.url}/cases/long-stays/new/")
    assert "李001" not in page.content()  # the page holds no list of every person
    _pick(page, "person", "张", "张军 · 2005 · 湖南省株洲市荷塘区")
    page.fill("#id_hukou_registered_on", "2026-11-02")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_be_visible()
    record = LongStay.objects.get()
    assert record.person == meant and record.hukou_registered_on == date(2026, 11, 2)


def test_an_activity_s_participants_are_picked_by_typing(users, station, login, page, live_server):
    Child.objects.create(
        station=station,
        name="王梓轩",
        birth_date=date(2015, 4, 1),
        village="白兔潭村",
        category="left_behind",
        registered_on=date(2024, 1, 1),
    )
    meant = Child.objects.create(
        station=station,
        name="王梓轩",
        birth_date=date(2012, 9, 9),
        village="石门村",
        category="left_behind",
        registered_on=date(2024, 1, 1),
    )
    other = Child.objects.create(
        station=station, name="刘思雨", category="left_behind", registered_on=date(2024, 1, 1)
    )
    login("minors_worker")
    page.goto(f"{live_server.url}/minors/activities/new/")
    page.select_option("#id_kind", "theme")
    page.fill("#id_title", "读书会")
    page.fill("#id_held_on", "2026-11-20")
    page.fill("#id_participants", "6")
    _pick(page, "children", "王梓", "王梓轩 · 2012 · 石门村")
    _pick(page, "children", "刘", "刘思雨")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_be_visible()
    activity = Activity.objects.get(title="读书会")
    assert set(activity.children.all()) == {meant, other}
