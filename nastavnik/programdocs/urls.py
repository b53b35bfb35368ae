from django.urls import path

from . import views

app_name = "programdocs"
urlpatterns = [
    path("", views.index, name="index"),
    path("fields/", views.fields, name="fields"),
    path("templates/<slug:kind>/builtin.docx", views.template_builtin, name="template_builtin"),
    path("org/<int:pk>/", views.organisation, name="organisation"),
    path("org/<int:pk>/<slug:kind>.<str:fmt>", views.generate, name="generate"),
    path("org/<int:pk>/templates/<slug:kind>/custom.docx", views.template_custom, name="template_custom"),
    path("org/<int:pk>/templates/<slug:kind>/upload/", views.template_upload, name="template_upload"),
    path("org/<int:pk>/templates/<slug:kind>/reset/", views.template_reset, name="template_reset"),
    path("org/<int:pk>/adopt/<slug:kind>/", views.adoption_create, name="adoption_create"),
    path("adoptions/<int:pk>/publish/", views.adoption_publish, name="adoption_publish"),
    path("adoptions/<int:pk>/scan/", views.adoption_scan, name="adoption_scan"),
    path("plans/<int:group_pk>/print.<str:fmt>", views.plan_print, name="plan_print"),
]
