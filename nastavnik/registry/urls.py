from django.urls import path

from . import urls_roles, urls_subject, views, views_accounts, views_consents, views_import

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
    path(
        "consents/class/<int:organisation>/<str:school_class>/",
        views_consents.consent_grid_class,
        name="consent_grid_class",
    ),
    path(
        "consents/class/<int:organisation>/<str:school_class>/<slug:document>.<slug:fmt>",
        views_consents.consent_forms_class,
        name="consent_forms_class",
    ),
    path("consents/program/<int:program>/", views_consents.consent_grid_program, name="consent_grid_program"),
    path(
        "consents/program/<int:program>/<slug:document>.<slug:fmt>",
        views_consents.consent_forms_program,
        name="consent_forms_program",
    ),
    path("consents/<int:pk>/document/", views.consent_document, name="consent_document"),
    *urls_subject.urlpatterns,
    *urls_roles.urlpatterns,
    path("accounts/", views_accounts.accounts_create, name="accounts_create"),
    path("<int:pk>/account/slip/", views_accounts.person_account_slip, name="person_account_slip"),
    path("<int:pk>/account/invite/", views_accounts.person_account_invite, name="person_account_invite"),
    path("<int:pk>/account/active/", views_accounts.person_account_active, name="person_account_active"),
]
