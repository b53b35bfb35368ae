from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.base.db import refresh_planner_statistics
from nastavnik.base.time import local_today
from nastavnik.cases.demo import build_cases_demo
from nastavnik.home.demo import DemoBuilder, build_reach_demo, demo_exists
from nastavnik.mentoring.demo import build_pairs_demo
from nastavnik.monitoring.snapshots import snapshots_refresh
from nastavnik.publication.demo import build_publication_demo


class Command(BaseCommand):
    help = "Загружает демонстрационный регион (детерминированно). Повторный запуск ничего не меняет."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write("Демонстрационные данные уже загружены.")
        else:
            DemoBuilder(local_today(), seed=options["seed"]).build()
            self.stdout.write(self.style.SUCCESS("Демонстрационные данные загружены."))
        # Pairs at work (plans, meetings) for the demo users; a no-op once they exist.
        if build_pairs_demo(local_today()):
            self.stdout.write(self.style.SUCCESS("Демонстрационные пары, планы и встречи созданы."))
        # The bank of practices and the public «Наставничество» pages; no-ops once they exist.
        if build_cases_demo(local_today()):
            self.stdout.write(self.style.SUCCESS("Демонстрационные кейсы созданы."))
        if build_publication_demo(local_today()):
            self.stdout.write(self.style.SUCCESS("Демонстрационные публикации созданы."))
        build_reach_demo(local_today())
        refresh_planner_statistics()
        snapshots_refresh()  # today's indicator values for the dashboards
