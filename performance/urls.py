from django.urls import path

from . import declaration_views, monitoring_views, views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("frameworks/new/", views.framework_create, name="framework_create"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/copy/", views.framework_copy, name="framework_copy"),
    path("frameworks/<int:pk>/export.xlsx", views.framework_export, name="framework_export"),
    path("frameworks/<int:pk>/import/", views.framework_import, name="framework_import"),
    path("frameworks/<int:pk>/indicators/new/", views.indicator_edit, name="indicator_add"),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.indicator_delete,
        name="indicator_delete",
    ),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/weight-fix/",
        views.indicator_weight_fix,
        name="indicator_weight_fix",
    ),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/evidence/",
        views.indicator_evidence,
        name="indicator_evidence",
    ),
    path("frameworks/<int:pk>/form/", views.evaluation_form, name="form"),
    path("frameworks/<int:pk>/report.pdf", views.evaluation_pdf, name="pdf"),
    path("frameworks/<int:pk>/form.xlsx", views.evaluation_xlsx, name="xlsx"),
    path("frameworks/<int:pk>/evaluation.json", views.evaluation_json, name="json"),
    path("frameworks/<int:pk>/narrative/", views.narrative_edit, name="narrative"),
    path("frameworks/<int:pk>/finalise/", views.evaluation_finalise, name="finalise"),
    path("frameworks/<int:pk>/reopen/", views.evaluation_reopen, name="reopen"),
    path("frameworks/<int:pk>/targets/", declaration_views.declaration_page, name="declaration"),
    path(
        "frameworks/<int:pk>/targets.<str:fmt>",
        declaration_views.declaration_file,
        name="declaration_file",
    ),
    path(
        "frameworks/<int:pk>/targets/declare/",
        declaration_views.declaration_declare,
        name="declaration_declare",
    ),
    path(
        "frameworks/<int:pk>/targets/approve/",
        declaration_views.declaration_approve,
        name="declaration_approve",
    ),
    path(
        "frameworks/<int:pk>/indicators/<int:indicator_pk>/adjust/",
        declaration_views.indicator_adjust,
        name="indicator_adjust",
    ),
    path("monitoring/", monitoring_views.monitoring_index, name="monitoring_index"),
    path("frameworks/<int:pk>/monitoring/", monitoring_views.monitoring_page, name="monitoring"),
    path(
        "frameworks/<int:pk>/monitoring/send/",
        monitoring_views.monitoring_send,
        name="monitoring_send",
    ),
    path(
        "frameworks/<int:pk>/monitoring/reopen/",
        monitoring_views.monitoring_reopen,
        name="monitoring_reopen",
    ),
    path(
        "frameworks/<int:pk>/monitoring.<str:fmt>",
        monitoring_views.monitoring_file,
        name="monitoring_file",
    ),
]
