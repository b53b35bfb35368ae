from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "nastavnik.matching"
    verbose_name = "Формирование пар и групп"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Exclusion, FixedPair, MatchingRun

        # The curator's decisions about who may (not) be paired, and the confirmation of a run.
        auditlog.register(Exclusion)
        auditlog.register(FixedPair)
        auditlog.register(MatchingRun, exclude_fields=["notes"])

        from nastavnik.registry.subject_data import register_subject_data_provider

        from .subject_data import MatchingSubjectData

        # Erasure deletes the stored PDFs of the orders that name the person.
        register_subject_data_provider(MatchingSubjectData())
