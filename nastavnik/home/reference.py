"""Built-in reference data (forms of mentoring, participant categories, questionnaire templates)
outside migrations.

The data migrations are the single source of these rows; this module re-runs their forward
functions, which are idempotent. It is needed where a database was flushed after migrating
(transactional tests) and by `load_demo`, which must not depend on how the database was made.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

REFERENCE_MIGRATIONS = [
    ("nastavnik.orgs.migrations.0002_builtin_mentoring_forms", "create_forms"),
    ("nastavnik.registry.migrations.0002_builtin_categories", "create_categories"),
    ("nastavnik.surveys.migrations.0002_builtin_templates", "install"),
    ("nastavnik.monitoring.migrations.0002_builtin_indicators", "create_indicators"),
    ("nastavnik.monitoring.migrations.0004_builtin_satisfaction_indicator", "create_indicator"),
    ("nastavnik.monitoring.migrations.0006_builtin_plan_fulfilment_indicator", "create_indicator"),
    ("nastavnik.monitoring.migrations.0008_monitoring_training_indicators", "create_indicators"),
]


def ensure_reference_data() -> None:
    for module_name, function_name in REFERENCE_MIGRATIONS:
        getattr(import_module(module_name), function_name)(apps, None)
