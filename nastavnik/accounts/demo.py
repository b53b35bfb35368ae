"""The demo region's accounts: one user for every role, all with the same printed password.

The scopes (region, municipality, organisations) are made by the orgs demo and passed in by the
orchestrator, nastavnik/home/demo.py: this app stands below orgs and does not import it.
"""

from __future__ import annotations

from typing import Any

from .models import Role, RoleAssignment, User

DEMO_PASSWORD = "nastavnik2026"  # noqa: S105 - printed for the demo on purpose

DEMO_LOGINS = [
    ("admin", "суперпользователь (администрирование)"),
    ("rnc", "региональный наставнический центр"),
    ("mun", "муниципальный куратор, Катав-Ивановский район"),
    ("director1", "директор МБОУ «СОШ № 1»"),
    ("curator1", "куратор программ МБОУ «СОШ № 1»"),
    ("curator7", "куратор программы МБОУ «СОШ № 7»"),
    ("curator_cdt", "куратор программы МБУ ДО «ЦДТ»"),
    ("psych1", "педагог-психолог МБОУ «СОШ № 1»"),
    ("mentor1", "наставник (учитель) МБОУ «СОШ № 1»"),
    ("mentee1", "наставляемый (ученик 7 класса)"),
    ("parent1", "родитель наставляемого"),
    ("partner1", "контактное лицо завода-партнёра: пары наставников-сотрудников завода в ЦДТ"),
]


def demo_user_create(
    username: str, last: str, first: str, middle: str, *roles: tuple[Role, dict[str, Any]]
) -> User:
    """A demo user with the demo password and its roles, each with its scope (`{"region": ...}`)."""
    user = User(
        username=username,
        last_name=last,
        first_name=first,
        middle_name=middle,
        email=f"{username}@example.org",
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    for role, scope in roles:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def demo_staff_users(
    *, region: Any, municipality: Any, school1: Any, school7: Any, centre: Any
) -> dict[str, User]:
    """The administrator and the staff of the demo region, by username (participants' accounts
    are made by the registry demo, which links them to their cards)."""
    users: dict[str, User] = {}

    def make(username: str, last: str, first: str, middle: str, *roles: tuple[Role, dict[str, Any]]) -> None:
        users[username] = demo_user_create(username, last, first, middle, *roles)

    make("admin", "Администратор", "Системный", "")
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    make("rnc", "Соколова", "Ирина", "Владимировна", (Role.REGIONAL_CENTRE, {"region": region}))
    make("mun", "Козлов", "Андрей", "Викторович", (Role.MUNICIPAL_CURATOR, {"municipality": municipality}))
    make("director1", "Демаков", "Сергей", "Николаевич", (Role.ORG_ADMIN, {"organisation": school1}))
    make("curator1", "Демакова", "Татьяна", "Викторовна", (Role.PROGRAM_CURATOR, {"organisation": school1}))
    make("curator7", "Лагунова", "Елена", "Петровна", (Role.PROGRAM_CURATOR, {"organisation": school7}))
    make("curator_cdt", "Баланюк", "Марина", "Андреевна", (Role.PROGRAM_CURATOR, {"organisation": centre}))
    make("psych1", "Орлова", "Наталья", "Игоревна", (Role.SPECIALIST, {"organisation": school1}))
    return users
