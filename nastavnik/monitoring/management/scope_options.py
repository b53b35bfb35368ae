"""The options the monitoring commands share: who acts (`--user`) and on which level
(exactly one of `--organisation`, `--municipality`, `--region` with its id)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from nastavnik.accounts.models import User
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.scopes import LEVELS, Scope


def add_scope_arguments(parser: CommandParser, *, user_help: str | None = None) -> None:
    parser.add_argument("--user", required=True, help=user_help)
    for level in LEVELS:
        parser.add_argument(f"--{level}", type=int, help=f"id: {level}")


def user_and_scope(options: dict[str, Any]) -> tuple[User, Scope]:
    """The acting user and the level they see; a CommandError names what is wrong."""
    chosen = [(level, options[level]) for level in LEVELS if options.get(level)]
    if len(chosen) != 1:
        raise CommandError("Укажите ровно одно из --organisation, --municipality, --region.")
    user = User.objects.filter(username=options["user"]).first()
    if user is None:
        raise CommandError(f"Нет пользователя {options['user']}.")
    level, pk = chosen[0]
    try:
        scope = get_scope_for_user(user, level, pk)
    except Exception as exc:
        raise CommandError(f"{user} не видит этот уровень: {level} {pk}.") from exc
    return user, scope
