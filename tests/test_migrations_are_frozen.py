"""A guard on the rule «a migration never changes once written»: no migration module imports live
code of the project (that code changes; a migration must do tomorrow what it did today). The one
exception is what makemigrations itself writes: a callable referenced by a field's `default`
(`nastavnik.base.time.today_in`), `upload_to`, `storage` or `validators`, which Django must import to build
the historical field and which does not change what the migration does to the data."""

from __future__ import annotations

import ast
from pathlib import Path

import nastavnik

ROOT = Path(nastavnik.__file__).parent
FIELD_REFERENCES = {"default", "upload_to", "validators", "storage"}


def migration_modules() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/migrations/*.py") if p.name != "__init__.py")


def _ours(module: str | None) -> bool:
    return module is not None and (module == "nastavnik" or module.startswith("nastavnik."))


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_field_reference(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """`node` (a name) is, as a whole dotted chain (or the call of one), the value of `default=`,
    `upload_to=`, `storage=` or an item of `validators=[...]`."""
    while isinstance(parents.get(node), ast.Attribute):
        node = parents[node]
    # A reference may be called to build the value Django serialised: `RandomName("consents")`.
    call = parents.get(node)
    if isinstance(call, ast.Call) and call.func is node:
        node = call
    parent = parents.get(node)
    if isinstance(parent, ast.List | ast.Tuple):
        parent = parents.get(parent)
        return isinstance(parent, ast.keyword) and parent.arg == "validators"
    return isinstance(parent, ast.keyword) and parent.arg in FIELD_REFERENCES


def live_code_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = _parents(tree)
    offences: list[str] = []
    bound: dict[str, int] = {}  # names bound by an import of our code → the import's line
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (_ours(node.module) or (node.level and node.module is None)):
            for alias in node.names:
                bound[alias.asname or alias.name] = node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level:
            offences.append(f"{node.lineno}: relative import from {node.module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name):
                    bound[alias.asname or alias.name.split(".")[0]] = node.lineno
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"import_module", "__import__"}:
            offences.append(f"{node.lineno}: dynamic import")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in bound and not _is_field_reference(node, parents):
            offences.append(f"{node.lineno}: {node.id} (imported on line {bound[node.id]}) used as live code")
    return offences


def test_there_are_migrations_to_check():
    assert len(migration_modules()) > 20


def test_no_migration_imports_live_code_of_the_project():
    offenders = {
        str(path.relative_to(ROOT)): offences
        for path in migration_modules()
        if (offences := live_code_imports(path))
    }
    assert offenders == {}, "Migrations must carry a frozen copy of the data and code they use"


def test_the_guard_catches_an_import_of_live_code_and_allows_a_field_default(tmp_path):
    live = tmp_path / "0009_live.py"
    live.write_text(
        "def install(apps, schema_editor):\n"
        "    from nastavnik.surveys.builtin import install_builtin_templates\n"
        "    install_builtin_templates(apps.get_model('surveys', 'Questionnaire'))\n",
        encoding="utf-8",
    )
    default = tmp_path / "0010_default.py"
    default.write_text(
        "import nastavnik.base.time\n"
        "from django.db import models\n"
        "field = models.DateField(default=nastavnik.base.time.today_in)\n",
        encoding="utf-8",
    )
    assert live_code_imports(live) == ["3: install_builtin_templates (imported on line 2) used as live code"]
    assert live_code_imports(default) == []
