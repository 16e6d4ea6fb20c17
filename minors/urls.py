from django.urls import path

from . import views

app_name = "minors"

urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("pick/children/", views.pick_children, name="pick_children"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/print/", views.case_print, name="case_print"),
    path("cases/<int:pk>/pdf/", views.case_pdf, name="case_pdf"),
    path("cases/<int:pk>/counselling/", views.counselling_add, name="counselling_add"),
    path("cases/<int:pk>/report/", views.report_add, name="report_add"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("children/", views.child_list, name="children"),
    path("children/new/", views.child_new, name="child_new"),
    path("children/<int:pk>/", views.child_detail, name="child_detail"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/<slug:kind>/", views.child_record_add, name="child_record_add"),
    path("visits/", views.visits_due, name="visits_due"),
    path("visits/<int:pk>/done/", views.visit_done, name="visit_done"),
    path("activities/", views.activity_calendar, name="activities"),
    path("activities/list/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("figures/", views.figures, name="figures"),
]
