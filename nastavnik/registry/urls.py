from django.urls import path

from .views import accounts, consents, imports, people, roles, subject

app_name = "registry"
urlpatterns = [
    path("", people.person_list, name="person_list"),
    path("new/", people.person_create, name="person_create"),
    path("export.xlsx", imports.registry_export, name="export"),
    path("<int:pk>/", people.person_detail, name="person_detail"),
    path("<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("<int:pk>/consents/new/", people.consent_add, name="consent_add"),
    path("<int:pk>/guardians/new/", people.guardian_add, name="guardian_add"),
    path("<int:pk>/programs/new/", people.participation_add, name="participation_add"),
    path("consents/<int:pk>/revoke/", people.consent_revoke, name="consent_revoke"),
    path("consents/<int:pk>/document/", people.consent_document, name="consent_document"),
    # The consents of a class or a program, and their printable forms.
    path(
        "consents/class/<int:organisation>/<str:school_class>/",
        consents.consent_grid_class,
        name="consent_grid_class",
    ),
    path(
        "consents/class/<int:organisation>/<str:school_class>/<slug:document>.<slug:fmt>",
        consents.consent_forms_class,
        name="consent_forms_class",
    ),
    path("consents/program/<int:program>/", consents.consent_grid_program, name="consent_grid_program"),
    path(
        "consents/program/<int:program>/<slug:document>.<slug:fmt>",
        consents.consent_forms_program,
        name="consent_forms_program",
    ),
    # The subject's rights under 152-ФЗ: export and erasure.
    path("<int:pk>/subject-data.zip", subject.subject_export, name="subject_export"),
    path("<int:pk>/erase/", subject.subject_erase, name="subject_erase"),
    # Roles of a person and staff of a place.
    path("staff/<str:level>/<int:pk>/", roles.staff_roles, name="staff_roles"),
    path(
        "staff/<str:level>/<int:pk>/<int:assignment_pk>/revoke/",
        roles.staff_role_revoke,
        name="staff_role_revoke",
    ),
    path("<int:pk>/unlock-login/", roles.login_unlock, name="login_unlock"),
    path("accounts/", accounts.accounts_create, name="accounts_create"),
    path("<int:pk>/account/slip/", accounts.person_account_slip, name="person_account_slip"),
    path("<int:pk>/account/invite/", accounts.person_account_invite, name="person_account_invite"),
    path("<int:pk>/account/active/", accounts.person_account_active, name="person_account_active"),
]
