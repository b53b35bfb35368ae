"""Running data migrations in tests: move the test database to a state of the migration graph
and get the historical models of that state, then back to the latest schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Targets = list[tuple[str, str]]


def latest_nodes() -> Targets:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def migrate(targets: Targets) -> Any:
    """Migrate to `targets` (forwards or backwards) and return the historical apps there."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@contextmanager
def schema_at(targets: Targets) -> Iterator[Any]:
    """The historical apps at `targets`; the latest schema again afterwards, whatever happens."""
    latest = latest_nodes()
    try:
        yield migrate(targets)
    finally:
        migrate(latest)
