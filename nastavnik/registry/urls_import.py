"""Included by the project under `registry/import/` with the namespace `registry_import`
(a namespace of its own, hence a module of its own)."""

from django.urls import path

from .views import imports as views_import

urlpatterns = [
    path("", views_import.import_upload, name="upload"),
    path("preview/", views_import.import_preview, name="preview"),
    path("confirm/", views_import.import_confirm, name="confirm"),
    path("cancel/", views_import.import_cancel, name="cancel"),
    path("done/", views_import.import_done, name="done"),
    path("jobs/<int:pk>/", views_import.import_job, name="job"),
    path("jobs/<int:pk>/restart/", views_import.import_job_restart_view, name="job_restart"),
]
