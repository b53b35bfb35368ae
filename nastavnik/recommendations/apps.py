from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "nastavnik.recommendations"
    verbose_name = "Адресные рекомендации"
