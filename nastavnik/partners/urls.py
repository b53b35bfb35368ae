from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_index, name="list"),
    path("agreements/", views.agreement_index, name="agreements"),
    path("new/", views.partner_create, name="create"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/edit/", views.partner_edit, name="edit"),
    path("<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/scan/", views.agreement_scan, name="agreement_scan"),
    path("<int:pk>/employees/new/", views.employee_add, name="employee_add"),
    path("<int:pk>/employees/<int:employee_pk>/contact/", views.employee_contact, name="employee_contact"),
    path("<int:pk>/employees/<int:employee_pk>/mentor/", views.employee_mentor, name="employee_mentor"),
    path("people/<int:person_pk>/panel/", views.person_panel, name="person_panel"),
]
