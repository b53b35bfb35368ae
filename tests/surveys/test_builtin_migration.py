"""The built-in questionnaire templates a new database gets from the migrations (surveys 0002 with
its frozen copy, then 0004) are exactly those `nastavnik/surveys/builtin.py` describes, and they
never change: their rows are pinned by count and checksum.

The migrations' forward functions run with the historical models of their own state on the test
database, after the built-in templates are deleted in the test's transaction (the three tables
have had the same schema since surveys 0001, so this is what `migrate` does on a new database).
If builtin.py changes, a new migration must carry the change to existing databases: add it to
`MIGRATIONS` below; the pinned checksum of the old migrations stays as it is.
"""

from __future__ import annotations

import hashlib
import json
from importlib import import_module
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nastavnik.surveys.builtin import install_builtin_templates
from nastavnik.surveys.models import Question, Questionnaire, Section

# (migration, forward function), in the order `migrate` runs them.
MIGRATIONS = [
    ("0002_builtin_templates", "install"),
    ("0004_satisfaction_comment_question", "add_question"),
]
# The rows of surveys 0002 + 0004 on a new database, as written in December 2026.
PINNED_COUNTS = {"questionnaires": 8, "sections": 15, "questions": 72, "choices": 85}
PINNED_CHECKSUM = "2f9ca195ea5c24b335a4e90e5630da4d633d46d4830b83ef92c6f651d0db74bf"

pytestmark = pytest.mark.django_db


def _builtin_rows() -> list[dict[str, Any]]:
    """The built-in templates as plain data, without keys, timestamps or version families."""
    rows = []
    for questionnaire in Questionnaire.objects.filter(program__isnull=True).order_by("builtin_code"):
        sections = list(Section.objects.filter(questionnaire=questionnaire).order_by("position"))
        questions = Question.objects.filter(questionnaire=questionnaire).select_related(
            "section", "condition_question"
        )
        rows.append(
            {
                "questionnaire": [
                    questionnaire.builtin_code,
                    questionnaire.kind,
                    questionnaire.title,
                    questionnaire.description,
                    questionnaire.about_other,
                    questionnaire.version,
                    questionnaire.is_latest,
                    questionnaire.source_id,
                    questionnaire.created_by_id,
                ],
                "sections": [[s.position, s.title, s.description] for s in sections],
                "questions": [
                    [
                        q.section.position,
                        q.position,
                        q.code,
                        q.kind,
                        q.text,
                        q.help_text,
                        q.required,
                        q.choices,
                        q.vocabulary,
                        q.rank_pool,
                        q.max_ranked,
                        q.condition_question.code if q.condition_question else None,
                        q.condition_choices,
                    ]
                    for q in questions.order_by("section__position", "position")
                ],
            }
        )
    return rows


def _after_migrations() -> list[dict[str, Any]]:
    Questionnaire.objects.filter(program__isnull=True).delete()
    loader = MigrationExecutor(connection).loader
    for name, function in MIGRATIONS:
        historical_apps = loader.project_state(("surveys", name)).apps
        forward = getattr(import_module(f"nastavnik.surveys.migrations.{name}"), function)
        forward(historical_apps, None)
    return _builtin_rows()


def _after_live_installer() -> list[dict[str, Any]]:
    Questionnaire.objects.filter(program__isnull=True).delete()
    install_builtin_templates(Questionnaire, Section, Question)
    return _builtin_rows()


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    questions = [q for row in rows for q in row["questions"]]
    return {
        "questionnaires": len(rows),
        "sections": sum(len(row["sections"]) for row in rows),
        "questions": len(questions),
        "choices": sum(len(q[7]) for q in questions),
    }


def _checksum(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def test_a_new_database_gets_the_templates_builtin_py_describes():
    assert _after_migrations() == _after_live_installer()


def test_the_migrations_install_the_same_rows_forever():
    rows = _after_migrations()
    assert _counts(rows) == PINNED_COUNTS
    assert _checksum(rows) == PINNED_CHECKSUM


def test_installing_again_adds_nothing():
    first = _after_migrations()
    for name, function in MIGRATIONS:
        historical_apps = MigrationExecutor(connection).loader.project_state(("surveys", name)).apps
        getattr(import_module(f"nastavnik.surveys.migrations.{name}"), function)(historical_apps, None)
    assert _builtin_rows() == first


def test_the_pair_feedback_migration_carries_the_same_satisfaction_templates():
    builtin = import_module("nastavnik.surveys.migrations.0002_builtin_templates").TEMPLATES
    feedback = import_module("nastavnik.mentoring.migrations.0003_pair_feedback_to_questionnaires")
    frozen = feedback.SATISFACTION_TEMPLATES
    assert frozen == [t for t in builtin if t["code"].startswith("satisfaction_")]
