from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The roof: the home page, the attention lists and the demo region, built from every app."""

    name = "nastavnik.home"
    verbose_name = "Главная"
