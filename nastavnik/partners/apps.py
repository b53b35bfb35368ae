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

        from nastavnik.registry.extensions import person_card_panels

        from .panels import partner_panel

        person_card_panels.connect(partner_panel, dispatch_uid="partners.person_panel")
