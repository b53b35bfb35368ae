from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("programs/<int:pk>/", views.program_matching, name="program_matching"),
    path("programs/<int:pk>/exclusions/", views.exclusion_add, name="exclusion_add"),
    path(
        "programs/<int:pk>/exclusions/<int:item_pk>/delete/", views.exclusion_delete, name="exclusion_delete"
    ),
    path("programs/<int:pk>/fixed/", views.fixed_add, name="fixed_add"),
    path("programs/<int:pk>/fixed/<int:item_pk>/delete/", views.fixed_delete, name="fixed_delete"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/pairs/<int:pair_pk>/<str:action>/", views.pair_action, name="pair_action"),
    path("runs/<int:pk>/<str:method>/move/", views.proposal_move, name="proposal_move"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="run_rerun"),
    path("runs/<int:pk>/confirm/", views.run_confirm, name="run_confirm"),
    path("runs/<int:pk>/order.docx", views.order_download_docx, name="order_docx"),
    path("runs/<int:pk>/order.pdf", views.order_download_pdf, name="order_pdf"),
    path("runs/<int:pk>/order-pdf/", views.order_pdf_status, name="order_pdf_status"),
    path("runs/<int:pk>/order-pdf/build/", views.order_pdf_build, name="order_pdf_build"),
]
