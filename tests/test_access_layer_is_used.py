"""A guard on the rule «views never read protected data around the access layer»: no view module
reads a model of people, pairs, plans, meetings, surveys, matching, roadmaps or organisations with
its bare manager (`Model.objects…`, `Model._default_manager…`, `get_object_or_404(Model, …)`,
`get_list_or_404(Model, …)`). Views go through `<app>.access` (visible_<things>_for,
get_<thing>_for_user) or the app's selectors, which start from it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

import nastavnik

ROOT = Path(nastavnik.__file__).parent

# Shared reference data anybody signed in may read: everything else of ours is protected.
REFERENCE_MODELS = {"Category", "Tag", "MentoringForm", "Indicator"}


def protected_models() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("nastavnik.") and model.__name__ not in REFERENCE_MODELS
    }


def bypass_pattern(names: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    return re.compile(
        rf"\b(?:{alternatives})\s*\.\s*(?:objects|_default_manager)\b"
        rf"|\bget_(?:object|list)_or_404\(\s*(?:{alternatives})\b"
    )


def _url_callbacks(patterns: list[URLPattern | URLResolver]):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_callbacks(pattern.url_patterns)
        else:
            callback = getattr(pattern.callback, "view_class", None) or inspect.unwrap(pattern.callback)
            yield callback


def url_view_files() -> set[Path]:
    """The files of every view our urls route to, whatever the module is called."""
    files = set()
    for callback in _url_callbacks(get_resolver().url_patterns):
        if callback.__module__.startswith("nastavnik."):
            files.add(Path(inspect.getfile(callback)).resolve())
    return files


def view_files() -> list[Path]:
    by_name = {
        *ROOT.rglob("views*.py"),
        *ROOT.rglob("views/**/*.py"),
    }
    return sorted({p.resolve() for p in by_name} | url_view_files())


def bypasses(text: str, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    found = []
    for match in pattern.finditer(text):
        number = text.count("\n", 0, match.start()) + 1
        found.append((number, text.splitlines()[number - 1].strip()))
    return found


def test_the_guard_reads_every_view_module_the_urls_route_to():
    files = view_files()
    paths = {p.relative_to(ROOT).as_posix() for p in files}
    assert {
        "mentoring/views/work.py",
        "mentoring/views/overview.py",
        "registry/views/imports.py",
        "registry/views/orgs.py",
        "surveys/views/public.py",
        "home/views.py",
    } <= paths
    assert url_view_files() <= set(files)


def test_every_model_of_ours_is_protected_unless_declared_reference_data():
    names = {m.__name__ for m in apps.get_models() if m.__module__.startswith("nastavnik.")}
    assert names >= REFERENCE_MODELS, "a reference model was renamed: update REFERENCE_MODELS"
    assert {"Person", "Consent", "GuardianLink", "Participation", "MentoringGroup", "GroupMembership"} <= (
        protected_models()
    )
    assert {"IndividualPlan", "Meeting", "ProgramEvent", "EventInvitation", "Response", "Answer"} <= (
        protected_models()
    )
    assert {"MatchingRun", "Roadmap", "RoadmapEvent", "Organisation", "Program"} <= protected_models()


@pytest.mark.parametrize(
    "line",
    [
        "person = Person.objects.get(pk=pk)",
        "people = Person.objects.filter(organisation=org)",
        "x = Consent._default_manager.all()",
        "group = get_object_or_404(MentoringGroup, pk=pk)",
        "groups = get_list_or_404(\n    MentoringGroup, program=program)",
        "run = MatchingRun.objects\n    .select_related('program').first()",
        "answers = Answer.objects.values('value')",
    ],
)
def test_the_guard_catches_each_way_around_the_access_layer(line):
    assert bypasses(line, bypass_pattern(protected_models()))


@pytest.mark.parametrize(
    "line",
    [
        "person = get_person_for_user(request.user, pk)",
        "tags = Tag.objects.all()",
        "group = get_object_or_404(visible_groups_for(request.user), pk=pk)",
        "PersonForm(instance=person)",
    ],
)
def test_the_guard_lets_the_access_layer_and_reference_data_through(line):
    assert not bypasses(line, bypass_pattern(protected_models()))


def test_no_view_reads_protected_data_around_the_access_layer():
    pattern = bypass_pattern(protected_models())
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in view_files()
        for number, line in bypasses(path.read_text(encoding="utf-8"), pattern)
    ]
    assert offenders == [], (
        "Use <app>.access (visible_<things>_for / get_<thing>_for_user) or selectors:\n"
        + ("\n".join(offenders))
    )
