"""Cron: anonymise the people whose retention period has ended (152-ФЗ).

    manage.py apply_retention --dry-run   # who would be anonymised, nothing changes
    manage.py apply_retention             # anonymise them (the audit log names the system actor)

Idempotent: erased people are never listed again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nastavnik.base.text import plural
from nastavnik.base.time import today_in
from nastavnik.registry.models import Person
from nastavnik.registry.services.erasure import person_erase_expired, retention_days, retention_due


class Command(BaseCommand):
    help = "Обезличивает участников, у которых истёк срок хранения после отзыва согласия или выбытия."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="только показать список")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        today = today_in()
        due = list(retention_due(Person.objects.all(), today).select_related("organisation").order_by("pk"))
        self.stdout.write(
            f"Срок хранения {retention_days()} дн.; истёк у {len(due)} {plural(len(due), 'участника,участников,участников')}."
        )
        for person in due:
            # Ids and organisations only: names do not belong in cron mail.
            self.stdout.write(
                f"  №{person.pk} · {person.get_kind_display()} · {person.organisation.short_name}"
            )
            if not dry_run:
                person_erase_expired(person=person, on_date=today)
        if due and not dry_run:
            self.stdout.write(self.style.SUCCESS(f"Обезличено: {len(due)}."))
