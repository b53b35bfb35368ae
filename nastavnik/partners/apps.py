from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "nastavnik.partners"
    verbose_name = "Организации-партнёры"
