"""At the door, the clerk types a returning person's name and birth date: the earlier person is
suggested under the identity fields, the clerk says it is the same person, and the new stay is
added to that person's stays (issue 15, item 2)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect

from cases.models import Person, Stay
from rescue_station.models import User
from rescue_station.scoping import user_stations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-journey-pass"


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = PASSWORD
    call_command("load_demo", "--allow-without-debug", stdout=StringIO())


def _returning_demo_person() -> Person:
    """An adult of the staff member's station, known by name and birth date, with stays."""
    station = user_stations(User.objects.get(username="station_staff")).first()
    return (
        Person.objects.for_station(station)
        .filter(identified=True, birth_date__isnull=False, stays__isnull=False)
        .exclude(name="")
        .exclude(id_number="")
        .exclude(stays__is_minor=True)
        .annotate(n=Count("stays"))
        .order_by("-n", "pk")
        .first()
    )


def test_the_clerk_finds_the_returning_person_while_typing(demo, login, page, live_server):
    person = _returning_demo_person()
    stays_before = person.stays.count()
    login("station_staff", PASSWORD)
    page.goto(f"{live_server.url}/cases/stays/new/")
    panel = page.get_by_test_id("returning-panel")
    expect(panel).to_be_hidden()  # nothing typed, nothing suggested

    page.fill("#id_name", person.name)
    page.fill("#id_birth_date", person.birth_date.isoformat())
    row = panel.locator(f'[data-person-id="{person.pk}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(person.name)
    expect(row).to_contain_text(f"{person.birth_date.year}年生")
    expect(row).to_contain_text(f"以前救助 {stays_before} 次")
    expect(row).to_contain_text(person.id_number[:4] + "*")
    expect(row).not_to_contain_text(person.id_number)  # masked as lists mask it
    # The panel sits under the identity fields, before the admission's.
    assert page.evaluate(
        "() => !!(document.querySelector('[data-returning]').compareDocumentPosition("
        "document.querySelector('#id_admitted_at')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )

    row.get_by_role("button", name="这是同一人").click()
    expect(row.get_by_role("button", name="这是同一人")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("input[name=returning_person]")).to_have_value(str(person.pk))

    page.select_option("#id_source", "self")
    page.fill("#id_temperature", "36.7")
    page.select_option("#id_health_status", "good")
    page.check("#id_safety_checked")
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("入站登记已完成")
    expect(page.locator(".messages")).to_contain_text("该人员曾来站求助")
    stay = Stay.objects.latest("pk")
    assert stay.person_id == person.pk
    assert person.stays.count() == stays_before + 1
    assert stay.name_at_intake == person.name


def test_a_different_person_is_a_new_person(demo, login, page, live_server):
    person = _returning_demo_person()
    persons_before = Person.objects.count()
    login("station_staff", PASSWORD)
    page.goto(f"{live_server.url}/cases/stays/new/")
    page.fill("#id_name", person.name)
    page.fill("#id_birth_date", person.birth_date.isoformat())
    row = page.get_by_test_id("returning-panel").locator(f'[data-person-id="{person.pk}"]')
    row.get_by_role("button", name="这是同一人").click()
    row.get_by_role("button", name="不是同一人").click()  # the clerk changes their mind
    expect(row).to_be_hidden()
    expect(page.locator("input[name=returning_person]")).to_have_value("")

    page.select_option("#id_source", "self")
    page.select_option("#id_health_status", "good")
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("入站登记已完成")
    stay = Stay.objects.latest("pk")
    assert stay.person_id != person.pk and stay.person.name == person.name
    assert Person.objects.count() == persons_before + 1
