from django.apps import AppConfig


class ProgramDocsConfig(AppConfig):
    name = "nastavnik.programdocs"
    verbose_name = "Документы программы наставничества"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Adoption, CustomTemplate

        auditlog.register(CustomTemplate)
        auditlog.register(Adoption)
