from django.urls import path

from . import views

app_name = "recognition"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/<int:pk>/assessments/", views.assessments, name="assessments"),
    path("organisation/<int:pk>/awards/", views.awards, name="awards"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/order.<str:fmt>", views.order_download, name="order_download"),
    path("awards/<int:pk>/delete/", views.award_delete, name="award_delete"),
    path("awards/<int:pk>/certificate.<str:fmt>", views.certificate_download, name="certificate"),
    path("competitions/<int:pk>/diploma/", views.diploma, name="diploma"),
    path("competitions/<int:pk>/delete/", views.competition_delete, name="competition_delete"),
    path("people/<int:pk>/panel/", views.person_panel, name="person_panel"),
    # Last: «organisation» or «municipality» and its id.
    path("<str:level>/<int:pk>/", views.ranking, name="ranking"),
    path("<str:level>/<int:pk>/procedure/", views.procedure, name="procedure"),
    path("<str:level>/<int:pk>/procedure.<str:fmt>", views.procedure_download, name="procedure_download"),
    path("<str:level>/<int:pk>/competitions/", views.competitions, name="competitions"),
]
