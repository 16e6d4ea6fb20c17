"""The project's URLs plus a stock Django admin of the stays: the floor our stay list must beat.

Only the benchmark uses this URLconf; the product registers no stay admin (records go through the
pages, where the station scoping and the minors' rules apply)."""

from django.contrib import admin
from django.urls import path

from cases.models import Stay
from rescue_station import urls

site = admin.AdminSite(name="bench_admin")


@admin.register(Stay, site=site)
class StockStayAdmin(admin.ModelAdmin):
    """What a Django shop ships by default for a list of stays."""

    list_display = ("person", "admitted_on", "source", "left_on", "exit_type")
    list_filter = ("source", "exit_type")
    search_fields = ("person__name",)
    date_hierarchy = "admitted_on"


urlpatterns = [path("bench-admin/", site.urls), *urls.urlpatterns]
