from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("head/", views.head, name="head"),
    path("staff/", views.staff, name="staff"),
    path("finance/", views.finance, name="finance"),
    path("region/", views.region, name="region"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:fmt>/", views.statistics_download, name="statistics_download"),
    path("region/<slug:code>/", views.region_station, name="region_station"),
]
