from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "«Наставник» — администрирование"
admin.site.site_title = "«Наставник»"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("", include("nastavnik.accounts.urls")),
    path("", include("nastavnik.home.urls")),
    path("registry/import/", include(("nastavnik.registry.urls_import", "registry_import"))),
    path("registry/", include("nastavnik.registry.urls")),
    path("orgs/", include("nastavnik.registry.urls_orgs")),
    path("roadmaps/", include("nastavnik.roadmaps.urls")),
    path("matching/", include("nastavnik.matching.urls")),
    path("pairs/", include("nastavnik.mentoring.urls")),
    path("surveys/", include("nastavnik.surveys.urls")),
    path("a/", include("nastavnik.surveys.public_urls")),
    path("monitoring/", include("nastavnik.monitoring.urls")),
    path("calendars/", include("nastavnik.calendars.urls")),
    path("notifications/", include("nastavnik.notifications.urls")),
    path("recommendations/", include("nastavnik.recommendations.urls")),
    path("readiness/", include("nastavnik.readiness.urls")),
    path("training/", include("nastavnik.training.urls")),
    path("mentors/", include("nastavnik.mentors.urls")),
    path("recognition/", include("nastavnik.recognition.urls")),
    path("documents/", include("nastavnik.programdocs.urls")),
    path("partners/", include("nastavnik.partners.urls")),
    path("cases/", include("nastavnik.cases.urls")),
    path("", include("nastavnik.publication.urls")),
]
# No /media/ here, not even under DEBUG: every uploaded file is personal data and lives in the
# private storage, served only by views that check access (nastavnik.base.files).
