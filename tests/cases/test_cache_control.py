"""Pages, exports and PDFs with persons' data carry Cache-Control: no-store (one middleware)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_stay_page_and_an_export_are_not_stored(client_for, make_stay, station):
    stay = make_stay(station, date(2026, 11, 20))
    client = client_for("station_staff")
    page = client.get(reverse("cases:stay_detail", args=[stay.pk]))
    export = client.get(reverse("cases:stay_export"))
    assert (page.status_code, export.status_code) == (200, 200)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _no_store(page)
    assert _no_store(export)
    assert page["Pragma"] == "no-cache"


def test_the_login_page_and_a_pdf_are_not_stored(client, client_for, make_stay, station):
    assert _no_store(client.get(reverse("login")))
    stay = make_stay(station, date(2026, 11, 20))
    response = client_for("station_staff").get(
        reverse("cases:stay_print_pdf", args=[stay.pk, "registration"])
    )
    assert response["Content-Type"] == "application/pdf"
    assert _no_store(response)
