from django.urls import path

from . import urls_subject, views, views_import

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("export.xlsx", views_import.registry_export, name="export"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent_add"),
    path("<int:pk>/guardians/new/", views.guardian_add, name="guardian_add"),
    path("<int:pk>/programs/new/", views.participation_add, name="participation_add"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<int:pk>/document/", views.consent_document, name="consent_document"),
    *urls_subject.urlpatterns,
]
