from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "nastavnik.readiness"
    verbose_name = "Готовность к внедрению"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ManualTick

        auditlog.register(ManualTick)
