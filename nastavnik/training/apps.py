from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "nastavnik.training"
    verbose_name = "Обучение наставников и кураторов"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Attendance, Certificate, Course, Enrolment, TrainingSession

        # Every change is logged (who, when, which fields): certificates are personal documents.
        auditlog.register(Course)
        auditlog.register(TrainingSession)
        auditlog.register(Enrolment)
        auditlog.register(Attendance)
        auditlog.register(Certificate)
