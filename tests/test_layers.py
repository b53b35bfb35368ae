"""The layers contract (pyproject.toml, [tool.importlinter]) is real: `make test` runs
`lint-imports`, and a lower app importing a higher one — even inside a function — breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nastavnik

ROOT = Path(nastavnik.__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, timeout=120
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "nastavnik", tree / "nastavnik", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_the_layers_contract(tmp_path):
    result = run_lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_an_import_from_the_floor_to_the_roof_inside_a_function_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    time_module = tree / "nastavnik" / "base" / "time.py"
    time_module.write_text(
        time_module.read_text(encoding="utf-8")
        + "\n\ndef _sneaky() -> None:\n    from nastavnik.home import views  # noqa: F401\n",
        encoding="utf-8",
    )
    result = run_lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "nastavnik.base is not allowed to import nastavnik.home" in result.stdout


def test_the_registry_importing_the_pairs_breaks_the_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    models = tree / "nastavnik" / "registry" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8") + "\nimport nastavnik.mentoring.models  # noqa: E402,F401\n",
        encoding="utf-8",
    )
    result = run_lint_imports(tree)
    assert result.returncode != 0
    assert "nastavnik.registry is not allowed to import nastavnik.mentoring" in result.stdout
