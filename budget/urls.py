from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "budget"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="budget:execution"), name="index"),
    path("execution/", views.execution, name="execution"),
    path("export/", views.execution_export, name="execution_export"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("lines/", views.line_list, name="line_list"),
    path("pick/lines/", views.pick_lines, name="pick_lines"),
    path("pick/projects/", views.pick_projects, name="pick_projects"),
    path("lines/new/", views.line_create, name="line_create"),
    path("lines/import/", views.import_lines, name="import_lines"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("expenditures/", views.expenditure_list, name="expenditure_list"),
    path("expenditures/new/", views.expenditure_create, name="expenditure_create"),
    path("expenditures/import/", views.import_expenditures, name="import_expenditures"),
    path("expenditures/<int:pk>/edit/", views.expenditure_edit, name="expenditure_edit"),
    path("expenditures/<int:pk>/void/", views.expenditure_void, name="expenditure_void"),
    path("templates/<str:kind>.xlsx", views.import_template, name="import_template"),
]
