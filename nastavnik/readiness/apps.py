from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "nastavnik.readiness"
    verbose_name = "Готовность к внедрению"
