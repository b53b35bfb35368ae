from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "nastavnik.orgs"
    verbose_name = "Организации и программы"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Organisation, Program

        auditlog.register(Organisation)
        auditlog.register(Program, m2m_fields={"forms"})
