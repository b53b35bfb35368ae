from django.urls import path

from . import views

app_name = "readiness"

urlpatterns = [
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/tick/<slug:code>/", views.tick, name="tick"),
    path("municipalities/<int:pk>/", views.municipality, name="municipality"),
]
