from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nastavnik.registry"
    verbose_name = "База наставников и наставляемых"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from .models import Consent, GuardianLink, Participation, Person
        from .timezones import remember_user_timezone

        # Times are shown in the zone of the user's organisation, chosen once at login.
        user_logged_in.connect(remember_user_timezone, dispatch_uid="registry.remember_user_timezone")

        # Every change to personal data is logged (who, when, which fields).
        auditlog.register(Person, m2m_fields={"categories"})
        auditlog.register(GuardianLink)
        auditlog.register(Participation, m2m_fields={"tags"})
        auditlog.register(Consent)
