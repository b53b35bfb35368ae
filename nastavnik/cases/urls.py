from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.bank, name="bank"),
    path("new/<int:group_pk>/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/submit/", views.case_submit, name="submit"),
    path("<int:pk>/accept/", views.case_accept, name="accept"),
    path("<int:pk>/return/", views.case_return, name="return"),
    path("<int:pk>/publish/", views.case_publish, name="publish"),
    path("<int:pk>/unpublish/", views.case_unpublish, name="unpublish"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_file, name="material_file"),
    path("collection/<int:region_pk>/", views.collection, name="collection"),
]
