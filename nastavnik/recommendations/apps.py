from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "nastavnik.recommendations"
    verbose_name = "Адресные рекомендации"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from nastavnik.monitoring.extensions import program_counts, report_sections

        from . import receivers
        from .models import Addressee, Recommendation

        auditlog.register(Recommendation, m2m_fields={"indicators", "roadmap_events"})
        auditlog.register(Addressee)
        program_counts.connect(receivers.recommendation_count, dispatch_uid="recommendations_count")
        report_sections.connect(receivers.report_section, dispatch_uid="recommendations_report")
