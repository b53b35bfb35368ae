"""The project's URLs plus the import/export ones, as the lead includes them (for tests)."""

from django.urls import include, path

from nastavnik.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("registry/import/", include(("nastavnik.registry.urls_import", "registry_import"))),
]
