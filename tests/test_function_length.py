"""Functions do one thing: none is longer than 80 lines outside demo data (the demo's builders read
as one story of a school year) and migrations, unless a comment on its first line says why."""

from __future__ import annotations

import ast
from pathlib import Path

import nastavnik

ROOT = Path(nastavnik.__file__).parent
LIMIT = 80


def long_functions() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path.name == "demo.py":
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                explained = "# long because" in lines[node.lineno - 1]
                if length > LIMIT and not explained:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_is_longer_than_80_lines():
    assert long_functions() == []
