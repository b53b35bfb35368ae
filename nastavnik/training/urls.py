from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("new/", views.course_edit, name="course_create"),
    path("trained/", views.trained, name="trained"),
    path("<int:pk>/", views.course_detail, name="course_detail"),
    path("<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("enrolment/<int:pk>/complete/", views.complete, name="complete"),
    path("certificate/<int:pk>/scan/", views.certificate_scan, name="certificate_scan"),
]
