from django.apps import AppConfig


class BaseConfig(AppConfig):
    """The floor every app stands on: time and «today», audit, Russian text, documents, files.

    It imports nothing of ours; everything else may import it.
    """

    name = "nastavnik.base"
    verbose_name = "Основа"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import pre_save

        from .audit import fill_actor
        from .file_cleanup import connect_file_cleanup

        pre_save.connect(fill_actor, sender=LogEntry, dispatch_uid="nastavnik_fill_actor")
        # Every app's models are loaded before any `ready()` runs.
        connect_file_cleanup()
