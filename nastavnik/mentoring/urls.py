from django.urls import path

from . import views

app_name = "mentoring"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/end/", views.group_end, name="group_end"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.mentee_remove, name="mentee_remove"),
]
