from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "nastavnik.partners"
    verbose_name = "Организации-партнёры"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Agreement, Partner, PartnerEmployee

        auditlog.register(Partner)
        auditlog.register(Agreement)
        auditlog.register(PartnerEmployee)
