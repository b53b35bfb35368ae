"""No test module computes today's date when it is imported. A constant made at import is
yesterday for the tests a run reaches after midnight in the project's zone (21:00 UTC), while
the builders and the services ask the clock when they run: the suite failed three tests that way
when it straddled midnight. Modules ask `today_in()` (or a helper that does) where they use it."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
CLOCKS = {"today_in", "local_today", "now", "localdate", "today"}


def _asks_the_clock(node: ast.AST) -> bool:
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            function = call.func
            name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
            if name in CLOCKS:
                return True
    return False


def dates_made_at_import(source: str) -> list[int]:
    """Lines of the module-level assignments (and the defaults of module-level functions) that
    call the clock."""
    found = []
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign | ast.AnnAssign)
            and node.value is not None
            and _asks_the_clock(node.value)
        ):
            found.append(node.lineno)
        if isinstance(node, ast.FunctionDef) and any(
            _asks_the_clock(default) for default in (*node.args.defaults, *node.args.kw_defaults) if default
        ):
            found.append(node.lineno)
    return found


def test_the_check_finds_a_date_made_at_import():
    assert dates_made_at_import("TODAY = today_in()\nSOON = timezone.now() + 1\nfixed = 3\n") == [1, 2]
    assert dates_made_at_import("def plan(day=today_in()):\n    pass\n") == [1]
    assert dates_made_at_import("def plan(day=None):\n    day = day or today_in()\n") == []


def test_no_test_module_makes_a_date_when_imported():
    found = [
        f"{path.relative_to(TESTS)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in dates_made_at_import(path.read_text(encoding="utf-8"))
    ]
    assert found == []
