from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("answers/<int:pk>/", views.answer, name="answer"),
    path("<str:level>/<int:pk>/", views.scope_list, name="list"),
    path("<str:level>/<int:pk>/new/", views.create, name="create"),
]
