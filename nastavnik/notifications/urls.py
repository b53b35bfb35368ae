from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
    path("telegram/<str:action>/", views.telegram_action, name="telegram_action"),
]
