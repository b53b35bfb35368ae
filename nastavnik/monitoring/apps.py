from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nastavnik.monitoring"
    verbose_name = "Мониторинг и целевые показатели"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Indicator, IndicatorTarget

        auditlog.register(Indicator)
        auditlog.register(IndicatorTarget)

        from .extensions import program_counts
        from .trained import training_sessions_count

        program_counts.connect(training_sessions_count, dispatch_uid="monitoring.training_sessions")

        from .partner_counts import partner_program_counts

        program_counts.connect(partner_program_counts, dispatch_uid="monitoring.partner_counts")

        from nastavnik.registry.signals import people_imported

        from .snapshots import refresh_after_import

        people_imported.connect(refresh_after_import, dispatch_uid="monitoring_refresh_after_import")
