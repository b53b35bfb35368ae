from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "nastavnik.notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Preference, TelegramLink

        auditlog.register(Preference)
        auditlog.register(TelegramLink)
