from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/<int:pk>/", views.organisation_dashboard, name="organisation"),
    path("municipalities/<int:pk>/", views.municipality_dashboard, name="municipality"),
    path("regions/<int:pk>/", views.region_dashboard, name="region"),
    path("people/", views.people, name="people"),
    path("<str:level>/<int:pk>/all-indicators/", views.matrix, name="matrix"),
    path("<str:level>/<int:pk>/program-counts/", views.program_counts, name="program_counts"),
    path("<str:level>/<int:pk>/stage-1/", views.stage1, name="stage1"),
    path("<str:level>/<int:pk>/stage-2/", views.stage2, name="stage2"),
    path("<str:level>/<int:pk>/targets/", views.targets, name="targets"),
    path("<str:level>/<int:pk>/statistics.xlsx", views.statistics, name="statistics"),
    path("organisations/<int:pk>/report.<str:fmt>", views.annual_report, name="annual_report"),
    path("municipalities/<int:pk>/base.xlsx", views.municipal_base, name="municipal_base"),
]
