from django.urls import path

from . import views_roles

urlpatterns = [
    path("staff/<str:level>/<int:pk>/", views_roles.staff_roles, name="staff_roles"),
    path(
        "staff/<str:level>/<int:pk>/<int:assignment_pk>/revoke/",
        views_roles.staff_role_revoke,
        name="staff_role_revoke",
    ),
    path("<int:pk>/unlock-login/", views_roles.login_unlock, name="login_unlock"),
]
