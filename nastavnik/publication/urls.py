from django.urls import path

from .feeds import organisation_feed
from .views import public, staff

# Mounted at the root: the public pages (no login) live under /nastavnichestvo/, the curator's
# pages under /publications/.
app_name = "publication"
urlpatterns = [
    path("nastavnichestvo/o/<int:pk>/", public.organisation_page, name="organisation"),
    path("nastavnichestvo/o/<int:pk>/embed/", public.organisation_embed, name="embed"),
    path("nastavnichestvo/o/<int:pk>/rss/", organisation_feed, name="feed"),
    path("nastavnichestvo/m/<int:pk>/", public.municipality_page, name="municipality"),
    path("nastavnichestvo/r/<int:pk>/", public.region_page, name="region"),
    path("nastavnichestvo/p/<int:pk>/", public.publication_page, name="publication"),
    path("nastavnichestvo/p/<int:pk>/photo/", public.publication_photo, name="photo"),
    path("nastavnichestvo/case/<int:pk>/", public.case_page, name="case"),
    path("publications/", staff.publication_list, name="staff_list"),
    path("publications/new/", staff.publication_new, name="staff_new"),
    path("publications/<int:pk>/edit/", staff.publication_edit, name="staff_edit"),
    path("publications/<int:pk>/publish/", staff.publication_publish, name="staff_publish"),
    path("publications/<int:pk>/unpublish/", staff.publication_unpublish, name="staff_unpublish"),
]
