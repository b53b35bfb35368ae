from django.urls import path

from . import views

app_name = "mentors"

urlpatterns = [
    path("", views.candidates, name="candidates"),
    path("nominate/", views.nominate, name="nominate"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/", views.candidate, name="candidate"),
    path("<int:pk>/interview/", views.interview_save, name="interview_save"),
    path("<int:pk>/admit/", views.admit, name="admit"),
    path("programs/<int:pk>/rules/", views.program_rules, name="program_rules"),
    path("base/", views.base, name="base"),
    path("base/propose/", views.base_propose, name="base_propose"),
    path("base/<int:pk>/decide/", views.base_decide, name="base_decide"),
    path("base/<int:pk>/request/", views.base_request, name="base_request"),
    path("people/<int:pk>/panel/", views.person_panel, name="person_panel"),
]
