from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "nastavnik.surveys"
    verbose_name = "Анкетирование"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Answer, Campaign, Questionnaire, Response

        auditlog.register(Questionnaire)
        auditlog.register(Campaign)
        auditlog.register(Response)
        auditlog.register(Answer)

        from nastavnik.registry.subject_data import register_subject_data_provider

        from .subject_data import SurveysSubjectData

        register_subject_data_provider(SurveysSubjectData())
