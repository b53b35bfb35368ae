from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "nastavnik.mentoring"
    verbose_name = "Наставнические пары и группы"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            GroupMembership,
            IndividualPlan,
            Meeting,
            MentoringGroup,
            MentorReport,
            PlanTask,
            ProgramEvent,
        )

        # The history of a pair or group: who formed, re-formed or ended it, and when.
        auditlog.register(MentoringGroup, exclude_fields=["created_at", "memberships"])
        auditlog.register(GroupMembership)
        auditlog.register(IndividualPlan, exclude_fields=["created_at"])
        auditlog.register(PlanTask)
        auditlog.register(Meeting, exclude_fields=["created_at"])
        auditlog.register(MentorReport, exclude_fields=["updated_at"])
        # Invitations and attendance are written in bulk (no per-row signals): the services log
        # one summary entry on the event instead, see `events._log_on_event`.
        auditlog.register(ProgramEvent, exclude_fields=["created_at"])

        from nastavnik.registry.subject_data import register_subject_data_provider

        from .subject_data import MentoringSubjectData

        register_subject_data_provider(MentoringSubjectData())
