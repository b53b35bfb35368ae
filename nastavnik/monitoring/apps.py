from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nastavnik.monitoring"
    verbose_name = "Мониторинг и целевые показатели"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Indicator, IndicatorTarget

        auditlog.register(Indicator)
        auditlog.register(IndicatorTarget)
