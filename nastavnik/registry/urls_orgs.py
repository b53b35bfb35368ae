"""The `orgs:` pages. Programs' list and form are the orgs app's own; the organisation pages and a
program's participants read the registry (consent coverage, people), so they are served from here,
above orgs, under the same names and paths. A module of its own: it is the `orgs` URL namespace,
not the registry's."""

from django.urls import path

from nastavnik.orgs import views as org_views

from .views import orgs as views_orgs

app_name = "orgs"
urlpatterns = [
    path("", views_orgs.organisation_list, name="organisation_list"),
    path("<int:pk>/", views_orgs.organisation_detail, name="organisation_detail"),
    path("programs/", org_views.program_list, name="program_list"),
    path("programs/new/", org_views.program_edit, name="program_create"),
    path("programs/<int:pk>/", views_orgs.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", org_views.program_edit, name="program_edit"),
]
