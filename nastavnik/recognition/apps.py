from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "nastavnik.recognition"
    verbose_name = "Признание наставников"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from nastavnik.monitoring.extensions import program_counts, report_sections
        from nastavnik.registry.extensions import person_card_panels

        from . import receivers
        from .models import (
            Award,
            AwardKind,
            AwardOrder,
            CompetitionEntry,
            Criterion,
            CuratorAssessment,
            Nomination,
            Procedure,
        )

        for model in (
            Procedure,
            Criterion,
            CuratorAssessment,
            Nomination,
            CompetitionEntry,
            AwardKind,
            Award,
        ):
            auditlog.register(model)
        auditlog.register(AwardOrder, exclude_fields=["created_at"])

        program_counts.connect(receivers.competition_count, dispatch_uid="recognition_competitions")
        report_sections.connect(receivers.recognition_section, dispatch_uid="recognition_report")
        person_card_panels.connect(receivers.recognition_panel, dispatch_uid="recognition_card")
