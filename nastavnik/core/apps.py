from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nastavnik.core"
    verbose_name = "Общее"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from .audit import fill_actor

        pre_save.connect(fill_actor, sender=LogEntry, dispatch_uid="nastavnik_fill_actor")
