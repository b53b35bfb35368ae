"""Database housekeeping that the code, not the operator, must remember."""

from __future__ import annotations

from django.db import connection


def refresh_planner_statistics() -> None:
    """After a bulk load, let PostgreSQL plan with the real table sizes.

    Autovacuum analyses a table only some time after it grew; until then the planner uses the
    statistics of the table when it was nearly empty and may run a subquery once per row: a
    dashboard over the freshly loaded demo region took minutes instead of milliseconds. ANALYZE
    also sees the rows of the current transaction (tests load the demo inside one). SQLite needs
    nothing here.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
