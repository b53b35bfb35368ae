from django.urls import path

from . import duty_views, views

app_name = "roadmaps"
urlpatterns = [
    path("", views.roadmap_list, name="list"),
    path("summary/", views.summary, name="summary"),
    path("import/", views.roadmap_import_view, name="import"),
    path("import/<str:token>/", views.roadmap_import_preview, name="import_preview"),
    path("import/<str:token>/options/", views.roadmap_import_options, name="import_options"),
    path("new/", views.roadmap_from_template, name="from_template"),
    path("<int:pk>/", views.roadmap_detail, name="detail"),
    path("<int:pk>/calendar/", views.roadmap_calendar, name="calendar"),
    path("<int:pk>/roll-over/", views.roadmap_roll_over_view, name="roll_over"),
    path("<int:pk>/export/<str:fmt>/", views.roadmap_export, name="export"),
    path("events/<int:pk>/status/", views.event_status, name="event_status"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/result/", views.event_result_file, name="event_result_file"),
    path("completions/<int:pk>/result/", views.completion_result_file, name="completion_result_file"),
    # a municipal roadmap carried out school by school; the export ready to sign
    path("duties/", duty_views.my_school_duties, name="my_school_duties"),
    path("duties/<int:pk>/", duty_views.school_duties, name="school_duties"),
    path("events/<int:pk>/schools/<int:school_pk>/", duty_views.school_status_update, name="school_status"),
    path(
        "events/<int:pk>/carried-out-by/", duty_views.event_schools_carry_out, name="event_schools_carry_out"
    ),
    path("school-statuses/<int:pk>/result/", duty_views.school_status_file, name="school_status_file"),
    path("<int:pk>/schools/", duty_views.roadmap_schools, name="schools"),
    path("<int:pk>/schools/remind/", duty_views.roadmap_remind_schools, name="remind_schools"),
    path("<int:pk>/sign/", duty_views.roadmap_sign, name="sign"),
]
