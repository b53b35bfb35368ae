from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "nastavnik.roadmaps"
    verbose_name = "Дорожные карты"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            EventCompletion,
            EventResponsible,
            Roadmap,
            RoadmapEvent,
            RoadmapSection,
            SchoolEventStatus,
        )

        auditlog.register(Roadmap)
        auditlog.register(RoadmapSection)
        auditlog.register(RoadmapEvent)
        auditlog.register(EventResponsible)
        auditlog.register(EventCompletion)
        auditlog.register(SchoolEventStatus)
