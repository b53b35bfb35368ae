from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "nastavnik.cases"
    verbose_name = "Банк лучших практик наставничества"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Case, CaseMaterial, CaseReview

        auditlog.register(Case)
        auditlog.register(CaseMaterial)
        auditlog.register(CaseReview)

        from nastavnik.registry.subject_data import register_subject_data_provider

        from .subject_data import CasesSubjectData

        register_subject_data_provider(CasesSubjectData())
