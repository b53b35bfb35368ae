from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "nastavnik.publication"
    verbose_name = "Страница «Наставничество»: публикации"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from nastavnik.monitoring.extensions import program_counts

        from .counts import publications_count
        from .models import Publication

        auditlog.register(Publication, m2m_fields={"people"})
        program_counts.connect(publications_count, dispatch_uid="publication.publications_count")

        from nastavnik.registry.subject_data import register_subject_data_provider

        from .subject_data import PublicationSubjectData

        register_subject_data_provider(PublicationSubjectData())
