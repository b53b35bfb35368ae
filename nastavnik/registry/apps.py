from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nastavnik.registry"
    verbose_name = "База наставников и наставляемых"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Consent, GuardianLink, Participation, Person

        # Every change to personal data is logged (who, when, which fields).
        auditlog.register(Person, m2m_fields={"categories"})
        auditlog.register(GuardianLink)
        auditlog.register(Participation, m2m_fields={"tags"})
        auditlog.register(Consent)
