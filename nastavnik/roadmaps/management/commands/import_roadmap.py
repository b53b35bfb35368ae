"""python manage.py import_roadmap FILE [--year 2023-2024] [--dry-run] [--json] [--organisation ID | --program ID | --municipality ID]

FILE is a path, absolute or relative to the current directory. With --json, stdout holds only the
JSON document (UTF-8, Russian as is); problems and messages go to stderr. A file that cannot be read
gives a Russian message on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.base.text import count_ru
from nastavnik.orgs.models import Municipality, Organisation, Program
from nastavnik.roadmaps.deadlines import Period
from nastavnik.roadmaps.importing import RoadmapImportError, read_roadmap_file
from nastavnik.roadmaps.services import roadmap_import


class Command(BaseCommand):
    help = "Читает дорожную карту из .docx, .xlsx, .txt или .tsv; с --dry-run ничего не сохраняет."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл дорожной карты")
        parser.add_argument("--year", help="учебный год или период, например 2023-2024")
        parser.add_argument("--dry-run", action="store_true", help="только прочитать, ничего не сохранять")
        parser.add_argument("--json", action="store_true", help="напечатать прочитанное как JSON")
        owner = parser.add_mutually_exclusive_group()
        owner.add_argument("--organisation", type=int, help="id организации, которой принадлежит карта")
        owner.add_argument("--program", type=int, help="id программы наставничества")
        owner.add_argument("--municipality", type=int, help="id муниципалитета (муниципальная карта)")
        parser.add_argument("--user", help="логин пользователя, от имени которого сохраняется карта")

    def handle(self, *args: Any, **options: Any) -> None:
        _utf8(self.stdout, self.stderr)
        period = None
        if options["year"]:
            period = Period.parse(options["year"])
            if period is None:
                raise CommandError(f"Не понял учебный год «{options['year']}»: укажите, например, 2023-2024.")
        try:
            draft = read_roadmap_file(options["file"], period=period)
        except RoadmapImportError as error:
            raise CommandError(error.message) from error

        if options["json"]:
            self.stdout.write(json.dumps(draft.to_json_dict(), ensure_ascii=False, indent=2))
            self.stdout.flush()
            for problem in draft.problems:
                self.stderr.write(f"{problem.source}: {problem.message}")
        else:
            self.stdout.write(f"{draft.title}")
            period_label = draft.period.label if draft.period else "не определён"
            self.stdout.write(
                f"Период: {period_label}; разделов: {len(draft.sections)}; мероприятий: {len(draft.events)}"
            )
            lines = len(draft.lines)
            self.stdout.write(
                f"Разобрано {draft.lines_parsed} из {count_ru(lines, 'строки,строк,строк')} файла"
                + (f", пропущено {len(draft.ignored_lines)}:" if draft.ignored_lines else ".")
            )
            for line in draft.ignored_lines:
                self.stdout.write(f"  – {line.source}: «{line.text[:80]}» — {line.detail}")
            for problem in draft.problems:
                self.stdout.write(f"  ! {problem.source}: {problem.message}")

        if options["dry_run"]:
            return
        organisation = program = municipality = None
        try:
            if options["program"]:
                program = Program.objects.select_related("organisation").get(pk=options["program"])
            elif options["organisation"]:
                organisation = Organisation.objects.get(pk=options["organisation"])
            elif options["municipality"]:
                municipality = Municipality.objects.get(pk=options["municipality"])
            else:
                raise CommandError(
                    "Чтобы сохранить карту, укажите --organisation, --program или --municipality (или --dry-run)."
                )
        except (Organisation.DoesNotExist, Program.DoesNotExist, Municipality.DoesNotExist) as error:
            raise CommandError("Организация, программа или муниципалитет с таким id не найдены.") from error
        user = self._user(options["user"])
        try:
            roadmap = roadmap_import(
                acting_user=user,
                draft=draft,
                organisation=organisation,
                program=program,
                municipality=municipality,
                period=period,
                source_name=str(options["file"]).rsplit("/", 1)[-1],
            )
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(f"Карта не сохранена: {message}") from error
        self.stderr.write(
            f"Сохранена дорожная карта #{roadmap.pk}: {count_ru(roadmap.events.count(), 'мероприятие,мероприятия,мероприятий')}."
        )

    def _user(self, username: str | None) -> Any:
        users = get_user_model().objects
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"Пользователь «{username}» не найден.")
            return user
        user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(
                "Укажите --user: от чьего имени сохранить карту (нужен для журнала изменений)."
            )
        return user


def _utf8(*wrappers: Any) -> None:
    """Write UTF-8 whatever the locale: a pipe under LANG=C or a Windows console would not take Russian."""
    for wrapper in wrappers:
        stream = getattr(wrapper, "_out", wrapper)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream already written in another encoding
                reconfigure(encoding="utf-8")
