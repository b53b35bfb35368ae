from django.urls import path

from . import views

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
]
