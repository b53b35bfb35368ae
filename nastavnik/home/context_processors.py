from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.models import Role
from nastavnik.mentors.access import can_see_candidates
from nastavnik.mentors.selectors import own_person
from nastavnik.orgs.access import oversees_many_organisations


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class NavGroup:
    """A section of the top menu. With one link it is that link; with several, a drop-down
    (the menu has grown past what fits on one line, and on a phone past a screenful)."""

    label: str
    links: tuple[NavLink, ...]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the top menu shows: only sections the user's roles can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scopes = scopes_of(user)
    oversees = oversees_many_organisations(user)
    nav = {
        "registry": scopes.is_staff_anywhere or bool(scopes.specialist_organisation_ids),
        "organisations": oversees,
        "programs": scopes.is_staff_anywhere,
        "documents": scopes.is_staff_anywhere,
        "partners": scopes.is_staff_anywhere,
        "mentors": can_see_candidates(user),
        # Teachers who mentor or advise may apply (again) and follow their application.
        "apply": not scopes.is_staff_anywhere
        and bool(scopes.roles & {Role.MENTOR, Role.SPECIALIST})
        and own_person(user) is not None,
        "training": scopes.superuser
        or bool(scopes.member_organisation_ids or scopes.municipality_ids or scopes.region_ids),
        "admin": user.is_superuser,
        "cases": scopes.is_staff_anywhere or Role.MENTOR in scopes.roles,
        "publications": scopes.superuser or bool(scopes.staff_organisation_ids),
        "role_labels": sorted({Role(r).label for r in scopes.roles}),
    }
    return {"nav": nav, "nav_groups": _groups(request, nav, _scoped_pages(scopes))}


def _scoped_pages(scopes: Any) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Pages of one scope (the user's municipality, region or school) for the «Мониторинг»
    section: address recommendations and readiness. The scope comes from the user's own roles, so
    the page opens for them; with several, the first (the pages link on to the others)."""
    pages = []
    if scopes.municipality_ids:
        pk = min(scopes.municipality_ids)
        pages.append(
            ("Рекомендации", reverse("recommendations:list", args=["municipality", pk]), ("recommendations",))
        )
        pages.append(("Готовность", reverse("readiness:municipality", args=[pk]), ("readiness",)))
    elif scopes.region_ids:
        pk = min(scopes.region_ids)
        pages.append(
            ("Рекомендации", reverse("recommendations:list", args=["region", pk]), ("recommendations",))
        )
    elif scopes.staff_organisation_ids:
        pk = min(scopes.staff_organisation_ids)
        pages.append(("Готовность", reverse("readiness:organisation", args=[pk]), ("readiness",)))
    return [("Мониторинг", label, url, marks) for label, url, marks in pages]


# (group, label, flag in `nav`, url name, what marks it active: an app name or «url:<url name>»)
MENU: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("Главная", "Главная", "", "home", ("url:home",)),
    ("Участники", "База участников", "registry", "registry:person_list", ("registry",)),
    ("Участники", "Организации", "organisations", "orgs:organisation_list", ("url:organisation_list",)),
    ("Участники", "Наставники", "mentors", "mentors:candidates", ("mentors",)),
    ("Участники", "Заявка в наставники", "apply", "mentors:apply", ("url:apply",)),
    ("Участники", "Обучение", "training", "training:calendar", ("training",)),
    ("Участники", "Партнёры", "partners", "partners:list", ("partners",)),
    ("Программы", "Программы", "programs", "orgs:program_list", ("url:program_list", "url:program_detail")),
    ("Программы", "Пары", "programs", "mentoring:board", ("mentoring",)),
    ("Программы", "Анкеты", "programs", "surveys:questionnaire_list", ("surveys",)),
    ("Программы", "Дорожные карты", "registry", "roadmaps:list", ("roadmaps",)),
    ("Программы", "Документы", "documents", "programdocs:index", ("programdocs",)),
    ("Мониторинг", "Мониторинг", "programs", "monitoring:index", ("monitoring",)),
    ("Практики", "Признание", "programs", "recognition:index", ("recognition",)),
    ("Практики", "Банк практик", "cases", "cases:bank", ("cases",)),
    ("Практики", "Публикации", "publications", "publication:staff_list", ("publication",)),
    ("Администрирование", "Администрирование", "admin", "admin:index", ("admin",)),
)


def _groups(
    request: HttpRequest, nav: dict[str, Any], scoped: list[tuple[str, str, str, tuple[str, ...]]]
) -> list[NavGroup]:
    match = getattr(request, "resolver_match", None)
    app_name = getattr(match, "app_name", "")
    url_name = getattr(match, "url_name", "")
    # «Заявка в наставники» is a page of the mentors app, but it is not the candidates' list.
    if app_name == "mentors" and url_name == "apply":
        app_name = ""
    grouped: dict[str, list[NavLink]] = {}
    for group, label, flag, name, marks in MENU:
        if flag and not nav.get(flag):
            continue
        active = app_name in marks or f"url:{url_name}" in marks
        grouped.setdefault(group, []).append(NavLink(label, reverse(name), active))
    for group, label, url, marks in scoped:
        if group in grouped:
            grouped[group].append(NavLink(label, url, app_name in marks))
    return [NavGroup(label, tuple(links)) for label, links in grouped.items()]
