from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("stays/", views.stay_list, name="stay_list"),
    path("stays/export/", views.stay_export, name="stay_export"),
    path("stays/new/", views.stay_create, name="stay_create"),
    path("stays/new/returning/", views.returning_search, name="returning_search"),
    path("stays/import/", views.stay_import, name="stay_import"),
    path("stays/import/confirm/", views.stay_import_confirm, name="stay_import_confirm"),
    path("stays/import/template/", views.import_template, name="import_template"),
    path("stays/<int:pk>/", views.stay_detail, name="stay_detail"),
    path("stays/<int:pk>/identity/", views.person_edit, name="person_edit"),
    path("stays/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("stays/<int:pk>/depart/", views.stay_depart, name="stay_depart"),
    path("stays/<int:pk>/event/<slug:kind>/", views.stay_event, name="stay_event"),
    path(
        "stays/<int:pk>/belongings/<int:item_pk>/settle/",
        views.belongings_settle,
        name="belongings_settle",
    ),
    path("stays/<int:pk>/print/<str:form>/", views.stay_print, name="stay_print"),
    path(
        "stays/<int:pk>/print/<str:form>/pdf/",
        views.stay_print,
        {"fmt": "pdf"},
        name="stay_print_pdf",
    ),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("patrols/", views.patrol_list, name="patrol_list"),
    path("patrols/new/", views.patrol_create, name="patrol_create"),
    path("patrols/<int:pk>/", views.patrol_edit, name="patrol_edit"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/<int:pk>/", views.area_edit, name="area_edit"),
    path("tickets/", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views.ticket_edit, name="ticket_edit"),
    path("safety/", views.safety_list, name="safety_list"),
    path("safety/checks/new/", views.safety_check_create, name="safety_check_create"),
    path("safety/checks/<int:pk>/", views.safety_check_edit, name="safety_check_edit"),
    path("safety/incidents/new/", views.incident_create, name="incident_create"),
    path("safety/incidents/<int:pk>/", views.incident_edit, name="incident_edit"),
    path("long-stays/", views.long_stay_list, name="long_stay_list"),
    path("long-stays/new/", views.long_stay_create, name="long_stay_create"),
    path("long-stays/<int:pk>/", views.long_stay_edit, name="long_stay_edit"),
    path("institutions/new/", views.institution_create, name="institution_create"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("pick/persons/", views.pick_persons, name="pick_persons"),
    path("pick/institutions/", views.pick_institutions, name="pick_institutions"),
]
