from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("access-log/", views.access_log, name="access_log"),
    path("station/select/", views.station_select, name="station_select"),
    path("session/status/", views.session_status, name="session_status"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("session/resume/", views.session_resume, name="session_resume"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("minors/", include("minors.urls")),
    path("budget/", include("budget.urls")),
    path("performance/", include("performance.urls")),
    path("dashboards/", include("dashboards.urls")),
]

handler400 = "rescue_station.views.bad_request"
handler500 = "rescue_station.views.server_error"
