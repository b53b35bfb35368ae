from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "nastavnik.mentors"
    verbose_name = "Отбор наставников и муниципальная база"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import AdmissionRule, BaseEntry, Candidacy, Interview, NetworkMentoring

        # Interviews and admission decisions are personal data: every change is logged.
        auditlog.register(Candidacy)
        auditlog.register(Interview)
        auditlog.register(AdmissionRule, m2m_fields={"forms"})
        auditlog.register(BaseEntry)
        auditlog.register(NetworkMentoring)

        from nastavnik.registry.extensions import person_card_panels

        from .panels import mentor_path_panel

        person_card_panels.connect(mentor_path_panel, dispatch_uid="mentors.mentor_path_panel")
