from django.urls import path

from . import views_subject

urlpatterns = [
    path("<int:pk>/subject-data.zip", views_subject.subject_export, name="subject_export"),
    path("<int:pk>/erase/", views_subject.subject_erase, name="subject_erase"),
]
