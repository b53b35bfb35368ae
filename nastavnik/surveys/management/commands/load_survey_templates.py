from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.surveys.builtin import install_builtin_templates
from nastavnik.surveys.models import Question, Questionnaire, Section


class Command(BaseCommand):
    help = "Добавляет недостающие встроенные шаблоны анкет ЦМН (их ставит и миграция). Повторный запуск ничего не меняет."

    def handle(self, *args: Any, **options: Any) -> None:
        created = install_builtin_templates(Questionnaire, Section, Question)
        self.stdout.write(f"Добавлено шаблонов анкет: {created}.")
